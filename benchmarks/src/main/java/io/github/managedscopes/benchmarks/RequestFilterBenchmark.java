package io.github.managedscopes.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.github.managedscopes.spring.ManagedScopesRequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The request-scope path of a synchronous request that never touches its stack: the
 * starter's {@link ManagedScopesRequestFilter} around the application's chain
 * ({@code withStarter}), against the same chain called directly ({@code withoutStarter}).
 * The request, the response and the chain are created once and reused, and the chain only
 * counts the request, so that {@code -prof gc} shows the filter's own allocation and nothing
 * else. (The starter's {@code RequestFailureRecorder} runs only when a handler throws, never
 * for such a request.)
 * Bar (DESIGN section 7): 0 extra bytes per request; the throughput bar is the load harness's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestFilterBenchmark {

    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/bench/untouched");

    private final MockHttpServletResponse response = new MockHttpServletResponse();

    private final ManagedScopesRequestFilter filter = new ManagedScopesRequestFilter();

    /** Requests the application handled; its only work, which no arm can elide. */
    private long handled;

    /** The rest of the chain: the application, which does not touch the request's stack. */
    private final FilterChain application = (request, response) -> this.handled++;

    @Benchmark
    public void withoutStarter() throws IOException, ServletException {
        this.application.doFilter(this.request, this.response);
    }

    @Benchmark
    public void withStarter() throws IOException, ServletException {
        this.filter.doFilter(this.request, this.response, this.application);
    }

    /** The number of requests the application handled. */
    long handled() {
        return this.handled;
    }

}
