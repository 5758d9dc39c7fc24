package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.AsyncExitStack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An {@link AsyncExitStack} whose entries' stages are already complete: open 1 or 8
 * {@link AsyncLockHolder}s (the lock of {@link LockHolder} taken and released, a shared
 * completed stage returned), register them with {@code registerAsync} on a fresh stack and
 * unwind it with {@code closeAsync()}, whose stage is joined (it is complete by then).
 * <p>
 * Bar (DESIGN section 7): {@code asyncExitStack1} and {@code asyncExitStack8} at most 1.5x
 * {@link RegisterAndUnwindBenchmark}'s {@code exitStack1} and {@code exitStack8}, the same
 * work on an {@code ExitStack}, measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AsyncCompletedStagesBenchmark {

    private final ReentrantLock lock = new ReentrantLock();

    @Benchmark
    public void asyncExitStack1(Blackhole bh) {
        AsyncExitStack stack = new AsyncExitStack();
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        stack.closeAsync().toCompletableFuture().join();
    }

    @Benchmark
    public void asyncExitStack8(Blackhole bh) {
        AsyncExitStack stack = new AsyncExitStack();
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        bh.consume(stack.registerAsync(new AsyncLockHolder(this.lock)));
        stack.closeAsync().toCompletableFuture().join();
    }

    /** Whether the benchmark's lock is held: every arm must leave it free. */
    boolean lockHeld() {
        return this.lock.isLocked();
    }

}
