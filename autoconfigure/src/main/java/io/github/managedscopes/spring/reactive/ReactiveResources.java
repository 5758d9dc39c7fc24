package io.github.managedscopes.spring.reactive;

import io.github.managedscopes.AsyncExitStack;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Registers the value of a {@code @ManagedResource} method that returns a {@code Mono} when
 * it arrives, on the innermost reactive scope of the subscriber (else on the scope that was
 * current on the calling thread). A value that arrives after the subscriber cancelled is
 * still registered, so it is closed with that scope, or at once and counted as a late
 * registration if the scope has ended: it never leaks (the hole of Reactor's
 * {@code usingWhen}).
 */
public final class ReactiveResources {

    private ReactiveResources() {
    }

    /**
     * Wraps a method's {@code Mono} so that its value is registered when it arrives.
     * @param result the {@code Mono} the method returned
     * @param registration registers a value on a reactive scope's stack, or, given
     * {@code null}, on the scope of the calling thread (failing if there is none)
     * @return the wrapped {@code Mono}
     */
    @SuppressWarnings("unchecked")
    public static Object registerOnArrival(Object result, Registration registration) {
        Mono<Object> source = (Mono<Object>) result;
        return new MonoOperatorOf(source, registration);
    }

    /** The wrapped {@code Mono}: each subscription gets a subscriber that registers the value. */
    private static final class MonoOperatorOf extends reactor.core.publisher.MonoOperator<Object, Object> {

        private final Registration registration;

        MonoOperatorOf(Mono<Object> source, Registration registration) {
            super(source);
            this.registration = registration;
        }

        @Override
        public void subscribe(reactor.core.CoreSubscriber<? super Object> actual) {
            this.source.subscribe(new ArrivingResourceSubscriber(actual,
                    ReactiveScopes.currentStack(actual.currentContext()), this.registration));
        }

    }

    /**
     * Registers an arrived value.
     */
    @FunctionalInterface
    public interface Registration {

        /**
         * Registers {@code value}.
         * @param stack the innermost reactive scope's stack, or {@code null} if the pipeline
         * runs in none
         * @param value the value that arrived
         * @throws Exception if it could not be registered; it was closed then
         */
        void register(@Nullable AsyncExitStack stack, Object value) throws Exception;

    }

}
