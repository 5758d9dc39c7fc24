package io.github.managedscopes.spring.reactive;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;

/**
 * The scope of one WebFlux exchange, from the first use of its stack to the end of the
 * response: it owns the exchange's {@link AsyncExitStack}, records the failure the exchange
 * ends with, and unwinds the stack exactly once, at the first of complete, error and cancel
 * of the whole exchange (after the response body was written, without the response waiting).
 * <p>
 * It is the subscriber of the exchange's handling, so an exchange that never uses its stack
 * costs this object and one Reactor {@link Context} entry, nothing more. The stack is
 * created on first use; once the exchange has ended, the stack is sealed: a stack first asked
 * for after the end is sealed from the start, so what is registered on it is closed at once.
 */
final class ExchangeScope implements CoreSubscriber<Void>, Subscription, Supplier<AsyncExitStack> {

    /** The kind of scope an exchange's is, as metrics report it. */
    static final String KIND = "request";

    private static final Logger logger = LoggerFactory.getLogger(ExchangeScope.class);

    private static final AtomicIntegerFieldUpdater<ExchangeScope> ENDED = AtomicIntegerFieldUpdater
        .newUpdater(ExchangeScope.class, "ended");

    private final CoreSubscriber<? super Void> actual;

    private final Context context;

    private final ServerHttpRequest request;

    private final ExchangeScopes scopes;

    private @Nullable Subscription upstream;

    /** Guarded by this, as are the fields below it. */
    private @Nullable ServerWebExchange exchange;

    private volatile @Nullable AsyncExitStack stack;

    private OpenScopeListener listener = OpenScopeListener.NONE;

    private long openedAt;

    private volatile @Nullable Throwable failure;

    private volatile int ended;

    ExchangeScope(CoreSubscriber<? super Void> actual, ServerHttpRequest request, ExchangeScopes scopes) {
        this.actual = actual;
        this.request = request;
        this.scopes = scopes;
        this.context = ReactiveScopes.withStack(actual.currentContext(), this);
    }

    /**
     * The scope of the exchange a pipeline serves.
     * @param context the pipeline's context
     * @return the scope, or {@code null} if the pipeline serves no scoped exchange
     */
    static @Nullable ExchangeScope find(ContextView context) {
        return (ReactiveScopes.innermostScope(context) instanceof ExchangeScope scope) ? scope : null;
    }

    /**
     * The exchange's stack, created (and the scope opened) on the first call.
     * @return the stack; sealed if the exchange has already ended
     */
    @Override
    public AsyncExitStack get() {
        AsyncExitStack existing = this.stack;
        return (existing != null) ? existing : open();
    }

    private AsyncExitStack open() {
        AsyncExitStack created;
        boolean late;
        ServerWebExchange bound;
        synchronized (this) {
            AsyncExitStack existing = this.stack;
            if (existing != null) {
                return existing;
            }
            late = this.ended != 0;
            Duration timeout = this.scopes.closeTimeout();
            if (late) {
                created = AsyncExitStack.forScope(description(), this.scopes.listeners().stacks(), timeout);
            }
            else {
                this.openedAt = System.nanoTime();
                this.listener = this.scopes.listeners().scopes().scopeOpened(KIND);
                created = AsyncExitStack.forScope(description(), this.listener, timeout);
            }
            this.stack = created;
            bound = this.exchange;
        }
        if (bound != null) {
            bound.getAttributes().put(ExchangeScopes.STACK_ATTRIBUTE, created);
        }
        if (late) {
            // Empty: unwinding it only seals it, so what comes later is refused and closed.
            created.closeAsync();
        }
        return created;
    }

    /**
     * Binds the exchange whose attributes carry the stack once it exists.
     */
    void bind(ServerWebExchange exchange) {
        AsyncExitStack existing;
        synchronized (this) {
            this.exchange = exchange;
            existing = this.stack;
        }
        if (existing != null) {
            exchange.getAttributes().put(ExchangeScopes.STACK_ATTRIBUTE, existing);
        }
    }

    /**
     * Records the failure the exchange ends with, unless one was recorded already: the
     * pipeline's error, even when it was turned into an error response.
     */
    void recordFailure(Throwable failure) {
        if (this.failure == null) {
            this.failure = failure;
        }
    }

    /**
     * Records that the client went away before the response body was written: the body's
     * stream was cancelled before it completed. Some servers (Reactor Netty) then complete the
     * exchange as if the response had been written.
     */
    void recordClientGone() {
        if (this.failure == null) {
            recordFailure(clientGone());
        }
    }

    private CancellationException clientGone() {
        return new CancellationException("The client went away before the response to "
                + this.request.getMethod().name() + " " + this.request.getPath().value() + " was complete");
    }

    @Override
    public Context currentContext() {
        return this.context;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (Operators.validate(this.upstream, subscription)) {
            this.upstream = subscription;
            this.actual.onSubscribe(this);
        }
    }

    @Override
    public void onNext(Void value) {
        this.actual.onNext(value);
    }

    @Override
    public void onError(Throwable error) {
        this.actual.onError(error);
        end(error, ScopeEnding.ERROR);
    }

    @Override
    public void onComplete() {
        this.actual.onComplete();
        end(null, ScopeEnding.COMPLETED);
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
        Subscription subscription = this.upstream;
        if (subscription != null) {
            subscription.cancel();
        }
        end(null, ScopeEnding.DISCONNECT);
    }

    /**
     * Ends the scope, unless it has ended already.
     * @param error the error the exchange failed with, or {@code null}
     * @param ending the signal that ends it
     */
    private void end(@Nullable Throwable error, ScopeEnding ending) {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return;
        }
        AsyncExitStack opened;
        ServerWebExchange bound;
        synchronized (this) {
            opened = this.stack;
            bound = this.exchange;
        }
        if (opened == null) {
            return;
        }
        Throwable inFlight = failureInFlight(error, ending, bound);
        ScopeEnding endedBy = (inFlight instanceof CancellationException) ? ScopeEnding.DISCONNECT : ending;
        OpenScopeListener scopeListener = this.listener;
        long openedAt = this.openedAt;
        int attached = (inFlight != null) ? inFlight.getSuppressed().length : 0;
        opened.exitAsync(inFlight).whenComplete((swallowed, unwindFailure) -> {
            scopeListener.scopeEnded(KIND, System.nanoTime() - openedAt,
                    unwindFailure != null || (inFlight != null && !Boolean.TRUE.equals(swallowed)), endedBy);
            log(inFlight, attached, unwindFailure);
        });
    }

    private @Nullable Throwable failureInFlight(@Nullable Throwable error, ScopeEnding ending,
            @Nullable ServerWebExchange bound) {
        Throwable recorded = this.failure;
        if (recorded != null) {
            return recorded;
        }
        if (error != null) {
            return error;
        }
        if (ending == ScopeEnding.DISCONNECT) {
            return clientGone();
        }
        return (bound != null) ? bound.getAttribute(ExceptionHandlingWebHandler.HANDLED_WEB_EXCEPTION) : null;
    }

    private void log(@Nullable Throwable inFlight, int attached, @Nullable Throwable unwindFailure) {
        if (unwindFailure != null) {
            logger.error("Closing the resources of {} failed", description(), unwindFailure);
            return;
        }
        if (inFlight != null) {
            Throwable[] suppressed = inFlight.getSuppressed();
            for (int i = attached; i < suppressed.length; i++) {
                logger.warn("A resource of {} failed to close while it ended with {}", description(), inFlight,
                        suppressed[i]);
            }
        }
    }

    private String description() {
        return "the request scope of " + this.request.getMethod().name() + " " + this.request.getPath().value();
    }

    @Override
    public String toString() {
        return description();
    }

}
