package io.github.managedscopes.spring.reactive;

import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.DispatchExceptionHandler;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.server.ServerWebExchange;

/**
 * Records for the exchange's scope the error an {@code @ExceptionHandler} method is about to
 * turn into a response, so that the scope ends with it in flight (the error never leaves the
 * filter chain, and Spring WebFlux keeps no trace of a handled exception), and a {@code Flux}
 * response body cut off by the client going away, which Reactor Netty completes as if it had
 * been written. It decorates the handler adapter it is given: ordered first, it handles what
 * that adapter supports by delegating to it, and wraps the exception handler of each result
 * (errors of a returned {@code Mono} or {@code Flux}) and, as a
 * {@link DispatchExceptionHandler}, sees errors raised before a result exists. What it records
 * goes in the exchange's attributes, where the scope looks when it ends; an exchange that does
 * not fail records nothing.
 * <p>
 * An exception that a handler method throws synchronously and an {@code @ExceptionHandler}
 * of the same adapter handles is not visible to it: return {@code Mono.error(...)} instead,
 * as reactive handlers should.
 */
public final class ExchangeFailureRecorder implements HandlerAdapter, DispatchExceptionHandler, Ordered {

    private final Supplier<HandlerAdapter> delegate;

    /**
     * Creates a recorder decorating a handler adapter.
     * @param delegate supplies the adapter (looked up when first needed)
     */
    public ExchangeFailureRecorder(Supplier<HandlerAdapter> delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean supports(Object handler) {
        return this.delegate.get().supports(handler);
    }

    @Override
    public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
        return this.delegate.get().handle(exchange, handler).map((result) -> recording(result, exchange));
    }

    /**
     * The result, recording what its exception handler is given and, for a {@code Flux} body,
     * a cancel before it completed: the client going away, which Reactor Netty completes the
     * exchange after nonetheless.
     */
    private static HandlerResult recording(HandlerResult result, ServerWebExchange exchange) {
        HandlerResult recording = result;
        if (result.getReturnValue() instanceof Flux<?> body) {
            recording = new HandlerResult(result.getHandler(),
                    body.doOnCancel(() -> ExchangeScope.recordClientGone(exchange)), result.getReturnTypeSource(),
                    result.getBindingContext());
        }
        DispatchExceptionHandler handler = result.getExceptionHandler();
        if (handler != null) {
            recording.setExceptionHandler((failed, error) -> {
                ExchangeScope.recordFailure(failed, error);
                return handler.handleError(failed, error);
            });
        }
        return recording;
    }

    @Override
    public Mono<HandlerResult> handleError(ServerWebExchange exchange, Throwable error) {
        ExchangeScope.recordFailure(exchange, error);
        return Mono.error(error);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
