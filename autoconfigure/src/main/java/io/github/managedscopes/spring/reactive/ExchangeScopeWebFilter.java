package io.github.managedscopes.spring.reactive;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Binds each exchange to its scope (so the exchange's attributes carry the stack) and records
 * the error its handling fails with, before any {@code WebExceptionHandler} turns it into an
 * error response: the scope ends with that failure in flight. Runs first in the filter chain.
 */
public final class ExchangeScopeWebFilter implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return Mono.deferContextual((context) -> {
            ExchangeScope scope = ExchangeScope.find(context);
            if (scope == null) {
                return chain.filter(exchange);
            }
            scope.bind(exchange);
            return chain.filter(exchange).doOnError(scope::recordFailure);
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
