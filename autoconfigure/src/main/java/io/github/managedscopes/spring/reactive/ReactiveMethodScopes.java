package io.github.managedscopes.spring.reactive;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.managedscopes.spring.AsyncScope;
import io.github.managedscopes.spring.ScopeEnding;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The scope of a {@code @ManagedScope} method that returns a {@code Mono} or {@code Flux}:
 * opened when the result is subscribed to, once per subscription, and ended at its terminal
 * signal (complete, error or cancel), never at an element. Downstream sees the completion or
 * the error only after the scope's stack has unwound, and so the value of a {@code Mono},
 * which is its completion to most operators; an exit that swallows the error makes the
 * result complete empty. The pipeline finds the scope through the Reactor context
 * ({@link ReactiveScopes}).
 */
public final class ReactiveMethodScopes {

    private ReactiveMethodScopes() {
    }

    /**
     * Wraps a method's result in a scope per subscription.
     * @param result the {@code Mono} or {@code Flux} the method returned
     * @param mono whether to return a {@code Mono}
     * @param method the method as named in messages
     * @param opener opens a scope
     * @return the wrapped result
     */
    @SuppressWarnings("unchecked")
    public static Object scoped(Object result, boolean mono, String method, Supplier<AsyncScope> opener) {
        Publisher<Object> source = (Publisher<Object>) result;
        if (mono) {
            return Mono.defer(() -> {
                AsyncScope scope = opener.get();
                return cancellable(Mono.fromDirect(source)
                    .contextWrite((context) -> ReactiveScopes.withStack(context, scope::stack))
                    .materialize()
                    .flatMap((signal) -> {
                        Throwable error = signal.getThrowable();
                        return afterUnwind(scope.end(error, (error != null) ? ScopeEnding.THREW : ScopeEnding.RETURNED),
                                error).then(Mono.justOrEmpty(signal.get()));
                    }), scope, method);
            });
        }
        return Flux.defer(() -> {
            AsyncScope scope = opener.get();
            return cancellable(Flux.from(source)
                .contextWrite((context) -> ReactiveScopes.withStack(context, scope::stack))
                .onErrorResume((error) -> afterUnwind(scope.end(error, ScopeEnding.THREW), error))
                .concatWith(Mono.defer(() -> afterUnwind(scope.end(null, ScopeEnding.RETURNED), null))), scope, method);
        });
    }

    private static <T extends org.reactivestreams.Publisher<Object>> T cancellable(T publisher, AsyncScope scope,
            String method) {
        Runnable cancelled = () -> scope.endAndLog(new CancellationException("The subscriber of " + method
                + " cancelled before it completed"), ScopeEnding.CANCELLED);
        @SuppressWarnings("unchecked")
        T withCancel = (T) ((publisher instanceof Mono<?> mono) ? mono.doOnCancel(cancelled)
                : ((Flux<?>) publisher).doOnCancel(cancelled));
        return withCancel;
    }

    /**
     * Signals what the result ends with once the scope has unwound: {@code failure}, unless
     * an exit swallowed it, or a new failure of the unwind.
     */
    private static Mono<Object> afterUnwind(@Nullable CompletionStage<Boolean> unwound, @Nullable Throwable failure) {
        if (unwound == null) {
            return (failure != null) ? Mono.error(failure) : Mono.empty();
        }
        return Mono.fromCompletionStage(unwound)
            .onErrorMap(CompletionException.class, (wrapper) -> (wrapper.getCause() != null) ? wrapper.getCause() : wrapper)
            .flatMap((swallowed) -> (failure != null && !swallowed) ? Mono.error(failure) : Mono.empty());
    }

}
