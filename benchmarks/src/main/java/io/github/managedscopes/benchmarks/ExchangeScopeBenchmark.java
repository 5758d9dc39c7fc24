package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.managedscopes.spring.ManagedScopesListeners;
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
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * The exchange-scope path of a WebFlux exchange that never touches its stack: the
 * application's {@link HttpHandler} built with the starter's {@link ExchangeScopes} filter
 * ({@code withStarter}) against the same handler built without it ({@code withoutStarter}),
 * and with a filter that only passes the exchange on ({@code withPassThroughFilter}: what
 * Spring's filter chain costs for any filter). Each arm handles a fresh mock request and
 * response, as a server would; {@code -prof gc} shows the differences as bytes per exchange.
 * (The handler adapter decorator, {@code ExchangeFailureRecorder}, runs only for annotated
 * controllers and is not part of this path.)
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
        .filter(new ExchangeScopes(ManagedScopesListeners.NONE, null))
        .build();

    private final HttpHandler withPassThroughFilter = WebHttpHandlerBuilder.webHandler(this.application)
        .filter(new PassThroughFilter())
        .build();

    @Benchmark
    public MockServerHttpResponse withoutStarter() {
        return handle(this.withoutStarter);
    }

    @Benchmark
    public MockServerHttpResponse withStarter() {
        return handle(this.withStarter);
    }

    @Benchmark
    public MockServerHttpResponse withPassThroughFilter() {
        return handle(this.withPassThroughFilter);
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

    /** The handler of each arm, by the arm's name. */
    HttpHandler handler(String arm) {
        return switch (arm) {
            case "withoutStarter" -> this.withoutStarter;
            case "withStarter" -> this.withStarter;
            case "withPassThroughFilter" -> this.withPassThroughFilter;
            default -> throw new IllegalArgumentException("No arm named '" + arm + "'");
        };
    }

    /**
     * A filter that only passes the exchange on; named by a constant, as {@code ExchangeScopes}
     * is, since Spring's chain names each filter's checkpoint after it on every exchange.
     */
    static final class PassThroughFilter implements WebFilter {

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            return chain.filter(exchange);
        }

        @Override
        public String toString() {
            return "PassThroughFilter";
        }

    }

}
