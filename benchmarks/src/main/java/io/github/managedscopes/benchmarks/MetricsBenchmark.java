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
 * Registering and unwinding with metrics on and off: a fresh stack per operation reporting to
 * the {@link ScopeRegistry} that feeds {@link ManagedScopesMetrics} on a {@link SimpleMeterRegistry} (built as the auto-configuration
 * builds it with default properties: 100 values per tag, leak detection off), against a fresh
 * stack reporting to no listener. One resource ({@code …1}) and eight ({@code …8}), each
 * registered under the same name in both arms.
 * Bar (DESIGN section 7): {@code metricsOn} at most 1.15x {@code metricsOff}.
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

    @TearDown
    public void closeMetrics() {
        this.metrics.close();
        this.registry.close();
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

}
