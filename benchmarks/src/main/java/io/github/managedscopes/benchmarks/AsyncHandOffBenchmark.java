package io.github.managedscopes.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.managedscopes.AsyncExitStack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Asynchronous closes completed by another thread: open 1 or 8 {@link HandOffHolder}s, close
 * them last-in first-out, each close starting when the previous one's stage has completed,
 * and wait for the last.
 * <ul>
 * <li>{@code thenComposeChain}: the hand-written chain, {@code r8.closeAsync().thenCompose(v ->
 * r7.closeAsync())...}, the baseline;
 * <li>{@code asyncExitStack}: the holders registered with {@code registerAsync} on a fresh
 * {@link AsyncExitStack}, unwound by {@code closeAsync()}.
 * </ul>
 * Both arms join the final stage on the benchmark thread. One closer thread, shared by the
 * arms, releases the permits and completes the stages. Bar (DESIGN section 7):
 * {@code asyncExitStack} at most 1.10x {@code thenComposeChain}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AsyncHandOffBenchmark {

    private final Semaphore permits = new Semaphore(Integer.MAX_VALUE);

    private ExecutorService closer;

    @Setup(Level.Trial)
    public void startCloser() {
        this.closer = Executors.newSingleThreadExecutor((task) -> {
            Thread thread = new Thread(task, "hand-off-closer");
            thread.setDaemon(true);
            return thread;
        });
    }

    @TearDown(Level.Trial)
    public void stopCloser() {
        this.closer.shutdownNow();
    }

    @Benchmark
    public void thenComposeChain1(Blackhole bh) {
        HandOffHolder r1 = open(bh);
        r1.closeAsync().toCompletableFuture().join();
    }

    @Benchmark
    public void asyncExitStack1(Blackhole bh) {
        AsyncExitStack stack = new AsyncExitStack();
        stack.registerAsync(open(bh));
        stack.closeAsync().toCompletableFuture().join();
    }

    @Benchmark
    public void thenComposeChain8(Blackhole bh) {
        HandOffHolder r1 = open(bh);
        HandOffHolder r2 = open(bh);
        HandOffHolder r3 = open(bh);
        HandOffHolder r4 = open(bh);
        HandOffHolder r5 = open(bh);
        HandOffHolder r6 = open(bh);
        HandOffHolder r7 = open(bh);
        HandOffHolder r8 = open(bh);
        CompletableFuture<?> closed = r8.closeAsync()
            .thenCompose((v) -> r7.closeAsync())
            .thenCompose((v) -> r6.closeAsync())
            .thenCompose((v) -> r5.closeAsync())
            .thenCompose((v) -> r4.closeAsync())
            .thenCompose((v) -> r3.closeAsync())
            .thenCompose((v) -> r2.closeAsync())
            .thenCompose((v) -> r1.closeAsync())
            .toCompletableFuture();
        closed.join();
    }

    @Benchmark
    public void asyncExitStack8(Blackhole bh) {
        AsyncExitStack stack = new AsyncExitStack();
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.registerAsync(open(bh));
        stack.closeAsync().toCompletableFuture().join();
    }

    private HandOffHolder open(Blackhole bh) {
        HandOffHolder holder = new HandOffHolder(this.permits, this.closer);
        bh.consume(holder);
        return holder;
    }

    /** How many permits are taken: every arm must give back what it took. */
    int permitsTaken() {
        return Integer.MAX_VALUE - this.permits.availablePermits();
    }

}
