package io.github.managedscopes.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.micrometer.ManagedScopesMetrics;
import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.ManagedScopesRequestFilter;
import io.github.managedscopes.spring.ScopeRegistry;
import io.github.managedscopes.spring.ServletRequestScopes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The library's whole cost per request, without a container: the load harness's request
 * (three {@code @ManagedResource} resources on the request's scope, Prometheus meters on)
 * against the same request written with try-with-resources, both through the starter's
 * {@link ManagedScopesRequestFilter} with the request bound to the thread, as Spring MVC
 * binds it.
 * <ul>
 * <li>{@code managed}: the chain calls a CGLIB proxy advised by {@code @ManagedResource}
 * three times; the first call opens the request's scope, which the filter ends after the
 * dispatch. The scopes report to a {@link ScopeRegistry} feeding {@link ManagedScopesMetrics}
 * on a {@link PrometheusMeterRegistry}, as the auto-configuration wires them with default
 * properties (100 values per tag, leak detection off, no observations).
 * <li>{@code plain}: the chain opens the same three resources on the unproxied bean in
 * nested try-with-resources.
 * </ul>
 * The difference of the two is what the library costs a request; the load harness sets it
 * against a real request's cost (DESIGN section 7, end to end: at most 1.04x the app CPU).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ManagedRequestBenchmark {

    private final ReentrantLock lock = new ReentrantLock();

    private final AnnotatedLockOpener plainOpener = new AnnotatedLockOpener(this.lock, 7);

    private LockOpener managedOpener = this.plainOpener;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final ManagedScopesMetrics metrics = new ManagedScopesMetrics(this.registry, 100, Duration.ZERO);

    private final ScopeRegistry scopeRegistry = new ScopeRegistry(this.metrics, false);

    private final ManagedScopesListeners listeners = new ManagedScopesListeners(List.of(this.scopeRegistry),
            List.of(this.scopeRegistry));

    private final ManagedScopes scopes = new ManagedScopes(this.listeners.scopes(),
            new ServletRequestScopes(this.listeners.scopes()));

    private final ManagedScopesRequestFilter filter = new ManagedScopesRequestFilter();

    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/bench/managed");

    private final MockHttpServletResponse response = new MockHttpServletResponse();

    /** What the chains computed: their only output, which no arm can elide. */
    private long handled;

    private final FilterChain managedChain = (request, response) -> {
        this.handled += this.managedOpener.open().hashCode() + this.managedOpener.open().hashCode()
                + this.managedOpener.open().hashCode();
    };

    private final FilterChain plainChain = (request, response) -> {
        try (LockHolder first = this.plainOpener.open();
                LockHolder second = this.plainOpener.open();
                LockHolder third = this.plainOpener.open()) {
            this.handled += first.hashCode() + second.hashCode() + third.hashCode();
        }
    };

    @Setup
    public void bindRequest() {
        this.managedOpener = Proxies.proxy(this.plainOpener, Proxies.managedResourceAdvisor(), true);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(this.request, this.response));
    }

    @TearDown(Level.Trial)
    public void unbindRequest() {
        RequestContextHolder.resetRequestAttributes();
        this.scopes.destroy();
        this.metrics.close();
        this.registry.close();
    }

    @Benchmark
    public void plain() throws IOException, ServletException {
        this.filter.doFilter(this.request, this.response, this.plainChain);
    }

    @Benchmark
    public void managed() throws IOException, ServletException {
        this.filter.doFilter(this.request, this.response, this.managedChain);
    }

    /** Whether the benchmark's lock is held: every arm must leave it free. */
    boolean lockHeld() {
        return this.lock.isLocked();
    }

    /** The meters' registry, for the checks of the smoke test. */
    PrometheusMeterRegistry registry() {
        return this.registry;
    }

}
