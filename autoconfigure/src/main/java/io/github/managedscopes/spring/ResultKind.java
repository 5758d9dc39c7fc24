package io.github.managedscopes.spring;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What a method's result is, as far as a scope is concerned: a value available when the
 * method returns, or a {@link CompletionStage}, {@code Mono} or {@code Flux} that completes
 * later, when the scope around it must end. Reactor types are recognised only when Reactor
 * is on the class path; nothing here loads them otherwise.
 */
enum ResultKind {

    /** A value, available when the method returns. */
    VALUE,

    /** A {@code CompletionStage}; the method's declared type is one a {@code CompletableFuture} fits. */
    STAGE,

    /** A {@code Mono}. */
    MONO,

    /** A {@code Flux}, or a {@code Publisher} a {@code Flux} fits. */
    FLUX;

    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
            ResultKind.class.getClassLoader());

    /**
     * The kind of what {@code method} returns.
     * @param culprit the method as named in messages
     * @throws IllegalStateException if the method declares an asynchronous type that cannot
     * be given a result that completes after its scope
     */
    static ResultKind of(Method method, String culprit) {
        Class<?> type = method.getReturnType();
        if (Future.class.isAssignableFrom(type) && !CompletionStage.class.isAssignableFrom(type)) {
            // Nothing tells when such a future is done without blocking a thread on it.
            throw new IllegalStateException(culprit + " returns " + type.getName() + ", a Future whose completion "
                    + "cannot be awaited without blocking, so its scope would end when it returns, closing what the "
                    + "work still running may use. Declare CompletionStage or CompletableFuture as its return type.");
        }
        if (CompletionStage.class.isAssignableFrom(type)) {
            if (!type.isAssignableFrom(CompletableFuture.class)) {
                throw new IllegalStateException(culprit + " returns " + type.getName() + ", a CompletionStage that "
                        + "the result completed after its scope cannot be returned as. Declare CompletionStage or "
                        + "CompletableFuture as its return type.");
            }
            return STAGE;
        }
        if (REACTOR_PRESENT && ReactorTypes.isPublisher(type)) {
            ResultKind kind = ReactorTypes.kindOf(type);
            if (kind == null) {
                throw new IllegalStateException(culprit + " returns " + type.getName() + ", a Publisher that a "
                        + "Mono or Flux completed after its scope cannot be returned as. Declare Mono, Flux or "
                        + "Publisher as its return type.");
            }
            return kind;
        }
        return VALUE;
    }

    /** Reactor's types, looked at only once Reactor is known to be present. */
    private static final class ReactorTypes {

        static boolean isPublisher(Class<?> type) {
            return org.reactivestreams.Publisher.class.isAssignableFrom(type);
        }

        static @Nullable ResultKind kindOf(Class<?> type) {
            if (type.isAssignableFrom(reactor.core.publisher.Mono.class)
                    && !type.isAssignableFrom(reactor.core.publisher.Flux.class)) {
                return MONO;
            }
            return type.isAssignableFrom(reactor.core.publisher.Flux.class) ? FLUX : null;
        }

    }

}
