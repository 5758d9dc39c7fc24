package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.ScopeListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A {@code @ManagedResource} method called through a real Spring proxy, JDK and CGLIB, built
 * as the starter's auto-proxy creator builds it ({@link Proxies}).
 * <ul>
 * <li>{@code jdkManaged}, {@code cglibManaged}: the proxy carries the starter's advisor; the
 * method's {@link LockHolder} is registered on the scope, which closes it;
 * <li>{@code jdkNoOp}, {@code cglibNoOp}: the same method of the same class through the same
 * kind of proxy, carrying a no-op {@code MethodInterceptor} instead; the caller closes the
 * holder with try-with-resources.
 * </ul>
 * Each of these four opens one programmatic scope ({@link ManagedScopes#run}) per operation
 * and calls the method once in it: the managed arms need the scope, and the no-op arms pay
 * for the same one, so the ratio compares only what happens around the call.
 * Bar (DESIGN section 7): managed at most 1.10x no-op, for each proxy kind.
 * <p>
 * The unannotated method {@code add} of the same beans: {@code jdkUnannotated} and
 * {@code cglibUnannotated} through the starter-advised proxies, {@code jdkNoOpUnannotated} and
 * {@code cglibNoOpUnannotated} through the no-op-advised proxies. Bar: the starter-advised
 * arm at most 1.02x the no-op-advised one of the same proxy kind. {@code plainUnannotated}, on
 * the bean itself, which nothing proxies when there is no advisor, is a reference: it shows
 * what any proxy costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ManagedResourceBenchmark {

    private final ReentrantLock lock = new ReentrantLock();

    private final AnnotatedLockOpener plain = new AnnotatedLockOpener(this.lock, 7);

    private LockOpener jdkManaged = this.plain;

    private LockOpener cglibManaged = this.plain;

    private LockOpener jdkNoOp = this.plain;

    private LockOpener cglibNoOp = this.plain;

    /** The application's scopes, as the auto-configuration creates them with no listener bean. */
    private final ManagedScopes scopes = new ManagedScopes(ScopeListener.NONE, null);

    /** The argument of the unannotated calls, a field so that no arm can fold it. */
    private long value = 42;

    @Setup
    public void createProxies() {
        this.jdkManaged = Proxies.proxy(this.plain, Proxies.managedResourceAdvisor(), false);
        this.cglibManaged = Proxies.proxy(this.plain, Proxies.managedResourceAdvisor(), true);
        this.jdkNoOp = Proxies.proxy(this.plain, Proxies.noOpAdvisor(), false);
        this.cglibNoOp = Proxies.proxy(this.plain, Proxies.noOpAdvisor(), true);
    }

    @TearDown
    public void uninstallScopes() {
        this.scopes.destroy();
    }

    @Benchmark
    public void jdkManaged(Blackhole bh) throws Exception {
        ManagedScopes.run(() -> bh.consume(this.jdkManaged.open()));
    }

    @Benchmark
    public void jdkNoOp(Blackhole bh) throws Exception {
        ManagedScopes.run(() -> {
            try (LockHolder holder = this.jdkNoOp.open()) {
                bh.consume(holder);
            }
        });
    }

    @Benchmark
    public void cglibManaged(Blackhole bh) throws Exception {
        ManagedScopes.run(() -> bh.consume(this.cglibManaged.open()));
    }

    @Benchmark
    public void cglibNoOp(Blackhole bh) throws Exception {
        ManagedScopes.run(() -> {
            try (LockHolder holder = this.cglibNoOp.open()) {
                bh.consume(holder);
            }
        });
    }

    @Benchmark
    public long plainUnannotated() {
        return this.plain.add(this.value);
    }

    @Benchmark
    public long jdkUnannotated() {
        return this.jdkManaged.add(this.value);
    }

    @Benchmark
    public long cglibUnannotated() {
        return this.cglibManaged.add(this.value);
    }

    @Benchmark
    public long jdkNoOpUnannotated() {
        return this.jdkNoOp.add(this.value);
    }

    @Benchmark
    public long cglibNoOpUnannotated() {
        return this.cglibNoOp.add(this.value);
    }

    /** Whether the benchmark's lock is held: every arm must leave it free. */
    boolean lockHeld() {
        return this.lock.isLocked();
    }

}
