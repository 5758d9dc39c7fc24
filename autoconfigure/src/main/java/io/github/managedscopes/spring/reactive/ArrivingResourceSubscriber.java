package io.github.managedscopes.spring.reactive;

import io.github.managedscopes.AsyncExitStack;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Subscribes to the {@code Mono} of a {@code @ManagedResource} method on behalf of its
 * subscriber, and registers the value when it arrives, even after that subscriber cancelled:
 * a cancel is passed upstream, but a value racing it, or one the source discards because of
 * it (Reactor's discard hook, which this subscriber installs upstream), is registered (and
 * so closed) rather than dropped.
 */
final class ArrivingResourceSubscriber implements CoreSubscriber<Object>, Subscription {

    private static final Logger logger = LoggerFactory.getLogger(ArrivingResourceSubscriber.class);

    private final CoreSubscriber<? super Object> actual;

    private final @Nullable AsyncExitStack stack;

    private final ReactiveResources.Registration registration;

    private final Context context;

    private @Nullable Subscription upstream;

    private volatile boolean cancelled;

    private boolean done;

    ArrivingResourceSubscriber(CoreSubscriber<? super Object> actual, @Nullable AsyncExitStack stack,
            ReactiveResources.Registration registration) {
        this.actual = actual;
        this.stack = stack;
        this.registration = registration;
        this.context = Operators.enableOnDiscard(actual.currentContext(), this::discarded);
    }

    @Override
    public Context currentContext() {
        return this.context;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        this.upstream = subscription;
        this.actual.onSubscribe(this);
    }

    @Override
    public void onNext(Object value) {
        if (this.done) {
            return;
        }
        this.done = true;
        Throwable refused = registerArrived(value);
        if (!this.cancelled) {
            if (refused != null) {
                this.actual.onError(refused);
                return;
            }
            this.actual.onNext(value);
            this.actual.onComplete();
        }
    }

    /** A value the source discarded (it emitted after the cancel): registered all the same. */
    private void discarded(Object value) {
        if (!this.done) {
            this.done = true;
            registerArrived(value);
        }
    }

    /**
     * Registers a value.
     * @return why it could not be (it was closed then), or {@code null}
     */
    private @Nullable Throwable registerArrived(Object value) {
        try {
            this.registration.register(this.stack, value);
            return null;
        }
        catch (Throwable ex) {
            if (this.cancelled && ex.getSuppressed().length > 0) {
                // nobody is left to take the failure: it carries a close failure, log it once
                logger.warn("A resource that arrived after its subscriber cancelled could not be registered", ex);
            }
            return ex;
        }
    }

    @Override
    public void onError(Throwable failure) {
        if (!this.done) {
            this.done = true;
            this.actual.onError(failure);
        }
    }

    @Override
    public void onComplete() {
        if (!this.done) {
            this.done = true;
            this.actual.onComplete();
        }
    }

    @Override
    public void request(long n) {
        Subscription subscription = this.upstream;
        if (subscription != null) {
            subscription.request(n);
        }
    }

    @Override
    public void cancel() {
        this.cancelled = true;
        Subscription subscription = this.upstream;
        if (subscription != null) {
            subscription.cancel();
        }
    }

}
