package io.github.managedscopes.spring.reactive;

import java.time.Duration;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The scopes of WebFlux exchanges: a {@link WebFilter}, first in the chain, under which every
 * exchange's filters and handling (response writing included) run in a scope whose
 * {@link AsyncExitStack} is created on first use, carried in the Reactor {@code Context} (see
 * {@link ReactiveScopes}) and in the exchange's attributes, and unwound exactly once when the
 * chain completes, fails or is cancelled because the client went away.
 * <p>
 * The scope sees the chain's error before any {@link WebExceptionHandler} (Spring Boot's
 * error handling) turns it into a response; pair it with {@link ExchangeFailureRecorder},
 * which records the errors an {@code @ExceptionHandler} answers inside the chain. Registered
 * as a bean, Spring's {@code WebHttpHandlerBuilder} applies it.
 */
public final class ExchangeScopes implements WebFilter, Ordered {

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

    /**
     * The rest of the chain, run in the exchange's scope: one object per exchange, which
     * subscribes to the chain when it is subscribed to.
     */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return new ExchangeScope(exchange, chain, this);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * A constant: Spring's filter chain names each filter's checkpoint after it on every
     * exchange, and {@code Object.toString()} would build a string each time.
     */
    @Override
    public String toString() {
        return "ExchangeScopes";
    }

}
