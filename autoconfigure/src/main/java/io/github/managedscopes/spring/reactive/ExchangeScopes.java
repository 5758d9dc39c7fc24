package io.github.managedscopes.spring.reactive;

import java.time.Duration;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The scopes of WebFlux exchanges: decorates the application's {@link HttpHandler} so that
 * every exchange's handling, error handling and response writing included, runs in a scope
 * whose {@link AsyncExitStack} is created on first use, carried in the Reactor
 * {@code Context} (see {@link ReactiveScopes}) and in the exchange's attributes, and unwound
 * exactly once when the response completes, fails or the client goes away.
 * <p>
 * Registered as a bean, Spring's {@code WebHttpHandlerBuilder} applies it; pair it with
 * {@link ExchangeErrorRecorder} and {@link ExchangeFailureRecorder}, which record the failure
 * in flight.
 */
public final class ExchangeScopes implements HttpHandlerDecoratorFactory {

    /** The exchange attribute holding the exchange's {@link AsyncExitStack}, once it exists. */
    public static final String STACK_ATTRIBUTE = ExchangeScopes.class.getName() + ".STACK";

    private final ManagedScopesListeners listeners;

    private final @Nullable Duration closeTimeout;

    /**
     * Creates the exchange scopes.
     * @param listeners what the scopes (of kind {@code request}) and their stacks report to
     * @param closeTimeout how long each asynchronous close may take, or {@code null} for no limit
     */
    public ExchangeScopes(ManagedScopesListeners listeners, @Nullable Duration closeTimeout) {
        this.listeners = listeners;
        this.closeTimeout = closeTimeout;
    }

    ManagedScopesListeners listeners() {
        return this.listeners;
    }

    @Nullable Duration closeTimeout() {
        return this.closeTimeout;
    }

    @Override
    public HttpHandler apply(HttpHandler handler) {
        return (request, response) -> new Scoped(handler, request, response, this);
    }

    /**
     * The handling of one exchange, subscribed to through its scope.
     */
    private static final class Scoped extends Mono<Void> {

        private final Mono<Void> handling;

        private final ServerHttpRequest request;

        private final ExchangeScopes scopes;

        Scoped(HttpHandler handler, ServerHttpRequest request, ServerHttpResponse response, ExchangeScopes scopes) {
            this.handling = handler.handle(request, response);
            this.request = request;
            this.scopes = scopes;
        }

        @Override
        public void subscribe(CoreSubscriber<? super Void> actual) {
            this.handling.subscribe(new ExchangeScope(actual, this.request, this.scopes));
        }

    }

}
