package io.github.managedscopes.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.google.common.io.Closer;
import io.github.managedscopes.ExitStack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Registering resources and unwinding them, with nothing failing: one resource, then eight,
 * each opened and closed by five arms measured in the same run.
 * <ul>
 * <li>{@code tryWithResources}: hand-written (nested) try-with-resources blocks, the baseline;
 * <li>{@code exitStack}: a fresh {@link ExitStack} per operation;
 * <li>{@code closer}: Guava's {@link Closer}, used as its javadoc prescribes;
 * <li>{@code naiveStack}: an {@code ArrayDeque} of one wrapper object per entry;
 * <li>{@code lockedNaiveStack}: the same with a lock taken around every deque access.
 * </ul>
 * Bars (DESIGN section 7): {@code exitStack1} at most 1.10x {@code tryWithResources1},
 * {@code exitStack8} at most 1.10x {@code tryWithResources8}, both faster than {@code closer}.
 * <p>
 * Every arm opens a fresh {@link LockHolder} per resource and hands it to the blackhole as its
 * body, so no arm can have its holders scalar-replaced or its locking elided while another
 * cannot: the only difference between arms is the bookkeeping around the resources.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegisterAndUnwindBenchmark {

    private final ReentrantLock lock = new ReentrantLock();

    @Benchmark
    public void tryWithResources1(Blackhole bh) {
        try (LockHolder r1 = new LockHolder(this.lock)) {
            bh.consume(r1);
        }
    }

    @Benchmark
    public void exitStack1(Blackhole bh) {
        try (ExitStack stack = new ExitStack()) {
            bh.consume(stack.register(new LockHolder(this.lock)));
        }
    }

    @Benchmark
    public void closer1(Blackhole bh) throws IOException {
        Closer closer = Closer.create();
        try {
            bh.consume(closer.register(new LockHolder(this.lock)));
        }
        catch (Throwable ex) {
            throw closer.rethrow(ex);
        }
        finally {
            closer.close();
        }
    }

    @Benchmark
    public void naiveStack1(Blackhole bh) {
        try (NaiveStack stack = new NaiveStack()) {
            bh.consume(stack.register(new LockHolder(this.lock)));
        }
    }

    @Benchmark
    public void lockedNaiveStack1(Blackhole bh) {
        try (LockedNaiveStack stack = new LockedNaiveStack()) {
            bh.consume(stack.register(new LockHolder(this.lock)));
        }
    }

    @Benchmark
    public void tryWithResources8(Blackhole bh) {
        try (LockHolder r1 = new LockHolder(this.lock)) {
            bh.consume(r1);
            try (LockHolder r2 = new LockHolder(this.lock)) {
                bh.consume(r2);
                try (LockHolder r3 = new LockHolder(this.lock)) {
                    bh.consume(r3);
                    try (LockHolder r4 = new LockHolder(this.lock)) {
                        bh.consume(r4);
                        try (LockHolder r5 = new LockHolder(this.lock)) {
                            bh.consume(r5);
                            try (LockHolder r6 = new LockHolder(this.lock)) {
                                bh.consume(r6);
                                try (LockHolder r7 = new LockHolder(this.lock)) {
                                    bh.consume(r7);
                                    try (LockHolder r8 = new LockHolder(this.lock)) {
                                        bh.consume(r8);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Benchmark
    public void exitStack8(Blackhole bh) {
        try (ExitStack stack = new ExitStack()) {
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
        }
    }

    @Benchmark
    public void closer8(Blackhole bh) throws IOException {
        Closer closer = Closer.create();
        try {
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
            bh.consume(closer.register(new LockHolder(this.lock)));
        }
        catch (Throwable ex) {
            throw closer.rethrow(ex);
        }
        finally {
            closer.close();
        }
    }

    @Benchmark
    public void naiveStack8(Blackhole bh) {
        try (NaiveStack stack = new NaiveStack()) {
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
        }
    }

    @Benchmark
    public void lockedNaiveStack8(Blackhole bh) {
        try (LockedNaiveStack stack = new LockedNaiveStack()) {
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
            bh.consume(stack.register(new LockHolder(this.lock)));
        }
    }

    /** Whether the benchmark's lock is held: every arm must leave it free. */
    boolean lockHeld() {
        return this.lock.isLocked();
    }

}
