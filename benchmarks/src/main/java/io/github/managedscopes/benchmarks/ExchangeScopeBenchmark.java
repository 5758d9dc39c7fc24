package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.reactive.ExchangeErrorRecorder;
import io.github.managedscopes.spring.reactive.ExchangeScopes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * The exchange-scope path of a WebFlux exchange that never touches its stack: the
 * application's {@link HttpHandler} built with the starter's {@link ExchangeScopes} decorator
 * and {@link ExchangeErrorRecorder} ({@code withStarter}) against the same handler built
 * without them ({@code withoutStarter}). Each arm handles a fresh mock request and response,
 * as a server would; {@code -prof gc} shows the difference as the starter's bytes per
 * exchange. (The error recorder runs only when an exchange fails; the handler adapter
 * decorator, {@code ExchangeFailureRecorder}, runs only for annotated controllers and is not
 * part of this path.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExchangeScopeBenchmark {

    /** Exchanges the application handled; its only work, which no arm can elide. */
    private long handled;

    /** The application, which does not touch the exchange's stack. */
    private final WebHandler application = (exchange) -> {
        this.handled++;
        return Mono.empty();
    };

    private final HttpHandler withoutStarter = WebHttpHandlerBuilder.webHandler(this.application).build();

    private final HttpHandler withStarter = WebHttpHandlerBuilder.webHandler(this.application)
        .exceptionHandler(new ExchangeErrorRecorder())
        .httpHandlerDecorator(new ExchangeScopes(ManagedScopesListeners.NONE, null))
        .build();

    /** The decorator alone: what the exchange's scope costs, without the error recorder's operators. */
    private final HttpHandler withScopesOnly = WebHttpHandlerBuilder.webHandler(this.application)
        .httpHandlerDecorator(new ExchangeScopes(ManagedScopesListeners.NONE, null))
        .build();

    @Benchmark
    public MockServerHttpResponse withScopesOnly() {
        return handle(this.withScopesOnly);
    }

    @Benchmark
    public MockServerHttpResponse withoutStarter() {
        return handle(this.withoutStarter);
    }

    @Benchmark
    public MockServerHttpResponse withStarter() {
        return handle(this.withStarter);
    }

    private static MockServerHttpResponse handle(HttpHandler handler) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        handler.handle(MockServerHttpRequest.get("/bench/untouched").build(), response).block();
        return response;
    }

    /** The number of exchanges the application handled. */
    long handled() {
        return this.handled;
    }

}
