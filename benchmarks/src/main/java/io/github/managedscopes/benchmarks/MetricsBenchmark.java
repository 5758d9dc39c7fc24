package io.github.managedscopes.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.micrometer.ManagedScopesMeters;
import io.github.managedscopes.micrometer.ManagedScopesMetrics;
import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Registering and unwinding with metrics on, against the same resources instrumented by hand
 * with the same meters. One resource ({@code …1}) and eight ({@code …8}), each under one name.
 * <ul>
 * <li>{@code metricsOn}: a fresh stack per operation reporting to the {@link ScopeRegistry}
 * that feeds {@link ManagedScopesMetrics} on a {@link SimpleMeterRegistry} (built as the
 * auto-configuration builds it with default properties: 100 values per tag, leak detection off);
 * <li>{@code handInstrumented}: (nested) try-with-resources, each resource counted open and
 * timed by hand with the same meters ({@link HandMeters}) on another
 * {@link SimpleMeterRegistry}, the meters resolved once;
 * <li>{@code metricsOff}, a reference: a fresh stack reporting to no listener.
 * </ul>
 * Bar (DESIGN section 7): {@code metricsOn} at most 1.10x {@code handInstrumented}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBenchmark {

    private static final String NAME = "lock";

    private final ReentrantLock lock = new ReentrantLock();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final ManagedScopesMetrics metrics = new ManagedScopesMetrics(this.registry, 100, Duration.ZERO);

    private final ScopeRegistry scopes = new ScopeRegistry(this.metrics, false);

    private final SimpleMeterRegistry handRegistry = new SimpleMeterRegistry();

    private final HandMeters hand = new HandMeters(this.handRegistry, NAME);

    @TearDown
    public void closeMetrics() {
        this.metrics.close();
        this.registry.close();
        this.handRegistry.close();
    }

    @Benchmark
    public void metricsOff1(Blackhole bh) {
        try (ExitStack stack = new ExitStack()) {
            bh.consume(stack.register(new LockHolder(this.lock), NAME));
        }
    }

    @Benchmark
    public void metricsOn1(Blackhole bh) {
        try (ExitStack stack = new ExitStack(this.scopes)) {
            bh.consume(stack.register(new LockHolder(this.lock), NAME));
        }
    }

    @Benchmark
    public void metricsOff8(Blackhole bh) {
        try (ExitStack stack = new ExitStack()) {
            registerEight(stack, bh);
        }
    }

    @Benchmark
    public void metricsOn8(Blackhole bh) {
        try (ExitStack stack = new ExitStack(this.scopes)) {
            registerEight(stack, bh);
        }
    }

    @Benchmark
    public void handInstrumented1(Blackhole bh) {
        LockHolder r1 = new LockHolder(this.lock);
        long s1 = this.hand.opened();
        try (r1) {
            bh.consume(r1);
        }
        finally {
            this.hand.closed(s1);
        }
    }

    @Benchmark
    public void handInstrumented8(Blackhole bh) {
        LockHolder r1 = new LockHolder(this.lock);
        long s1 = this.hand.opened();
        try (r1) {
            bh.consume(r1);
            LockHolder r2 = new LockHolder(this.lock);
            long s2 = this.hand.opened();
            try (r2) {
                bh.consume(r2);
                LockHolder r3 = new LockHolder(this.lock);
                long s3 = this.hand.opened();
                try (r3) {
                    bh.consume(r3);
                    LockHolder r4 = new LockHolder(this.lock);
                    long s4 = this.hand.opened();
                    try (r4) {
                        bh.consume(r4);
                        LockHolder r5 = new LockHolder(this.lock);
                        long s5 = this.hand.opened();
                        try (r5) {
                            bh.consume(r5);
                            LockHolder r6 = new LockHolder(this.lock);
                            long s6 = this.hand.opened();
                            try (r6) {
                                bh.consume(r6);
                                LockHolder r7 = new LockHolder(this.lock);
                                long s7 = this.hand.opened();
                                try (r7) {
                                    bh.consume(r7);
                                    LockHolder r8 = new LockHolder(this.lock);
                                    long s8 = this.hand.opened();
                                    try (r8) {
                                        bh.consume(r8);
                                    }
                                    finally {
                                        this.hand.closed(s8);
                                    }
                                }
                                finally {
                                    this.hand.closed(s7);
                                }
                            }
                            finally {
                                this.hand.closed(s6);
                            }
                        }
                        finally {
                            this.hand.closed(s5);
                        }
                    }
                    finally {
                        this.hand.closed(s4);
                    }
                }
                finally {
                    this.hand.closed(s3);
                }
            }
            finally {
                this.hand.closed(s2);
            }
        }
        finally {
            this.hand.closed(s1);
        }
    }

    private void registerEight(ExitStack stack, Blackhole bh) {
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
        bh.consume(stack.register(new LockHolder(this.lock), NAME));
    }

    /** Whether the benchmark's lock is held: every arm must leave it free. */
    boolean lockHeld() {
        return this.lock.isLocked();
    }

    /** The number of resources the open gauge reports. */
    double openResources() {
        return this.registry.get(ManagedScopesMeters.RESOURCES_OPEN).gauge().value();
    }

    /** The meters of the library's arms. */
    SimpleMeterRegistry registry() {
        return this.registry;
    }

    /** The meters of the hand-instrumented arms. */
    SimpleMeterRegistry handRegistry() {
        return this.handRegistry;
    }

}
