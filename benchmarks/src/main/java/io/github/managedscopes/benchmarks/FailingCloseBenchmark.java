package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.ExitStack;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Unwinding three resources of which one or three throw from {@code close()}: the JDK's
 * nested try-with-resources blocks against an {@link ExitStack} doing the same, each catching
 * what propagates and returning it to the blackhole. The resources that throw are the inner
 * ones, which close first: with one failing, the two outer closes run with a failure in
 * flight; with three, the two later failures are added to the first with
 * {@link Throwable#addSuppressed}. Bar (DESIGN section 7): {@code exitStack} at most 1.05x
 * {@code tryWithResources}.
 * <p>
 * <strong>The exceptions.</strong> They are created once, in {@link #createFailures()}, with
 * a stack trace, so that neither arm measures building one. Being reused, they are created
 * with suppression disabled ({@link CloseFailure}): both arms call {@code addSuppressed} on
 * the primary failure (the JDK's try-with-resources and {@code ExitStack} alike), and on a
 * reused exception with suppression enabled that list would grow by two every operation,
 * without bound, making each call slower and the heap larger as the run goes on. Resetting
 * the list is no option ({@code Throwable} has no API for it, reflection needs
 * {@code --add-opens} and would be measured too, and a per-invocation setup costs more than
 * what is measured), nor is a fresh exception per operation, whose stack trace would dwarf
 * the unwind. With suppression disabled, each {@code addSuppressed} call still runs its
 * argument checks and returns without storing anything, identically in both arms, so the
 * comparison stays fair; what is not measured is the JDK's own list append, which both arms
 * would pay equally.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FailingCloseBenchmark {

    /** How many of the three resources throw from close, innermost first. */
    @Param({ "1", "3" })
    int failing;

    private final ReentrantLock lock = new ReentrantLock();

    /** What the outermost resource throws, or {@code null}. */
    @Nullable RuntimeException outer;

    /** What the middle resource throws, or {@code null}. */
    @Nullable RuntimeException middle;

    /** What the innermost resource throws. */
    RuntimeException inner = new CloseFailure("unused");

    @Setup
    public void createFailures() {
        this.inner = new CloseFailure("inner resource failed to close");
        this.middle = (this.failing >= 2) ? new CloseFailure("middle resource failed to close") : null;
        this.outer = (this.failing >= 3) ? new CloseFailure("outer resource failed to close") : null;
    }

    @Benchmark
    public @Nullable RuntimeException tryWithResources(Blackhole bh) {
        try {
            try (FailingLockHolder r1 = new FailingLockHolder(this.lock, this.outer)) {
                bh.consume(r1);
                try (FailingLockHolder r2 = new FailingLockHolder(this.lock, this.middle)) {
                    bh.consume(r2);
                    try (FailingLockHolder r3 = new FailingLockHolder(this.lock, this.inner)) {
                        bh.consume(r3);
                    }
                }
            }
            return null;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

    @Benchmark
    public @Nullable RuntimeException exitStack(Blackhole bh) {
        try {
            try (ExitStack stack = new ExitStack()) {
                bh.consume(stack.register(new FailingLockHolder(this.lock, this.outer)));
                bh.consume(stack.register(new FailingLockHolder(this.lock, this.middle)));
                bh.consume(stack.register(new FailingLockHolder(this.lock, this.inner)));
            }
            return null;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

    /** Whether the benchmark's lock is held: every arm must leave it free. */
    boolean lockHeld() {
        return this.lock.isLocked();
    }

    /**
     * A close failure made to be thrown again and again: it keeps its stack trace but records
     * no suppressed exceptions (see the class's javadoc).
     */
    static final class CloseFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CloseFailure(String message) {
            super(message, null, false, true);
        }

    }

}
