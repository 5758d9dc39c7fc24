package io.github.managedscopes.spring.reactive;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Records the error an exchange's handling failed with on the exchange's scope, before any
 * other {@link WebExceptionHandler} (Spring Boot's error handling) turns it into an error
 * response: the scope ends with that failure in flight. Handles nothing itself, and costs
 * nothing on the way of an exchange that does not fail.
 */
public final class ExchangeErrorRecorder implements WebExceptionHandler, Ordered {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        return Mono.deferContextual((context) -> {
            ExchangeScope scope = ExchangeScope.find(context);
            if (scope != null) {
                scope.bind(exchange);
                scope.recordFailure(error);
            }
            return Mono.error(error);
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
