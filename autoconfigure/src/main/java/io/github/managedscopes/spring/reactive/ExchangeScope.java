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
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * The scope of one WebFlux exchange, from the first use of its stack to the end of the
 * exchange's filter chain: it owns the exchange's {@link AsyncExitStack}, finds the failure
 * the exchange ends with, and unwinds the stack exactly once, at the first of complete, error
 * and cancel of the chain (after passing the signal on, without the response waiting).
 * <p>
 * It is both what {@link ExchangeScopes} returns for the exchange and the subscriber of the
 * rest of the chain, so an exchange that never uses its stack costs this one object: the
 * Reactor {@link Context} that carries the scope is built only when something in the
 * pipeline first asks for it, and the stack with its bookkeeping ({@link Opened}) only on
 * first use. Once the exchange has ended, the stack is sealed: a stack first asked for after
 * the end is sealed from the start, so what is registered on it is closed at once.
 */
final class ExchangeScope extends Mono<Void> implements CoreSubscriber<Void>, Subscription, Supplier<AsyncExitStack> {

    /** The kind of scope an exchange's is, as metrics report it. */
    static final String KIND = "request";

    /** The exchange attribute holding the failure recorded for the scope to end with. */
    static final String FAILURE_ATTRIBUTE = ExchangeScope.class.getName() + ".FAILURE";

    private static final Logger logger = LoggerFactory.getLogger(ExchangeScope.class);

    private static final AtomicIntegerFieldUpdater<ExchangeScope> STATE = AtomicIntegerFieldUpdater
        .newUpdater(ExchangeScope.class, "state");

    private static final int SUBSCRIBED = 1;

    private static final int ENDED = 2;

    private final ServerWebExchange exchange;

    private final WebFilterChain chain;

    private final ExchangeScopes scopes;

    private CoreSubscriber<? super Void> actual = Operators.emptySubscriber();

    private @Nullable Subscription upstream;

    /** Built on first request; a race builds equal contexts, either of which may be kept. */
    private @Nullable Context context;

    /** Written under the lock, which {@link #end} takes to read it once the scope has ended. */
    private volatile @Nullable Opened opened;

    private volatile int state;

    ExchangeScope(ServerWebExchange exchange, WebFilterChain chain, ExchangeScopes scopes) {
        this.exchange = exchange;
        this.chain = chain;
        this.scopes = scopes;
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
     * Records the failure the scope of {@code exchange} ends with, unless one was recorded
     * already: an error that was turned into a response before it left the filter chain.
     */
    static void recordFailure(ServerWebExchange exchange, Throwable failure) {
        exchange.getAttributes().putIfAbsent(FAILURE_ATTRIBUTE, failure);
    }

    /**
     * Records that the client went away before the response body was written: the body's
     * stream was cancelled before it completed. Some servers (Reactor Netty) then complete the
     * exchange as if the response had been written.
     */
    static void recordClientGone(ServerWebExchange exchange) {
        if (exchange.getAttribute(FAILURE_ATTRIBUTE) == null) {
            recordFailure(exchange, clientGone(exchange.getRequest()));
        }
    }

    private static CancellationException clientGone(ServerHttpRequest request) {
        return new CancellationException("The client went away before the response to "
                + request.getMethod().name() + " " + request.getPath().value() + " was complete");
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> subscriber) {
        if ((STATE.getAndUpdate(this, (current) -> current | SUBSCRIBED) & SUBSCRIBED) != 0) {
            // Subscribed again (a retry): that subscription gets a scope of its own.
            new ExchangeScope(this.exchange, this.chain, this.scopes).subscribe(subscriber);
            return;
        }
        this.actual = subscriber;
        Mono<Void> handling;
        try {
            handling = this.chain.filter(this.exchange);
        }
        catch (Throwable ex) {
            Operators.error(this, ex);
            return;
        }
        handling.subscribe(this);
    }

    /**
     * The exchange's stack, created (and the scope opened) on the first call.
     * @return the stack; sealed if the exchange has already ended
     */
    @Override
    public AsyncExitStack get() {
        Opened existing = this.opened;
        return (existing != null) ? existing.stack : open();
    }

    private AsyncExitStack open() {
        Opened created;
        synchronized (this) {
            Opened existing = this.opened;
            if (existing != null) {
                return existing.stack;
            }
            created = new Opened(this.scopes, description(), (this.state & ENDED) != 0);
            this.opened = created;
        }
        this.exchange.getAttributes().put(ExchangeScopes.STACK_ATTRIBUTE, created.stack);
        if (created.late) {
            // Empty: unwinding it only seals it, so what comes later is refused and closed.
            created.stack.closeAsync();
        }
        return created.stack;
    }

    @Override
    public Context currentContext() {
        Context built = this.context;
        if (built == null) {
            built = ReactiveScopes.withStack(this.actual.currentContext(), this);
            this.context = built;
        }
        return built;
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
        if ((STATE.getAndUpdate(this, (current) -> current | ENDED) & ENDED) != 0) {
            return;
        }
        Opened scope;
        synchronized (this) {
            scope = this.opened;
        }
        if (scope == null) {
            return;
        }
        Throwable inFlight = failureInFlight(error, ending);
        ScopeEnding endedBy = clientWentAway(inFlight) ? ScopeEnding.DISCONNECT : ending;
        int attached = (inFlight != null) ? inFlight.getSuppressed().length : 0;
        scope.stack.exitAsync(inFlight).whenComplete((swallowed, unwindFailure) -> {
            scope.listener.scopeEnded(KIND, System.nanoTime() - scope.openedAt,
                    unwindFailure != null || (inFlight != null && !Boolean.TRUE.equals(swallowed)), endedBy);
            log(inFlight, attached, unwindFailure);
        });
    }

    /**
     * Whether the exchange failed because its client went away: the body's stream was cancelled,
     * or the server's write failed for it (an aborted or reset connection, as Spring's
     * {@link DisconnectedClientHelper} recognizes them).
     */
    private static boolean clientWentAway(@Nullable Throwable inFlight) {
        return inFlight instanceof CancellationException
                || (inFlight != null && DisconnectedClientHelper.isClientDisconnectedException(inFlight));
    }

    private @Nullable Throwable failureInFlight(@Nullable Throwable error, ScopeEnding ending) {
        Throwable recorded = this.exchange.getAttribute(FAILURE_ATTRIBUTE);
        if (recorded != null) {
            return recorded;
        }
        if (error != null) {
            return error;
        }
        return (ending == ScopeEnding.DISCONNECT) ? clientGone(this.exchange.getRequest()) : null;
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
        ServerHttpRequest request = this.exchange.getRequest();
        return "the request scope of " + request.getMethod().name() + " " + request.getPath().value();
    }

    @Override
    public String toString() {
        return description();
    }

    /**
     * What exists only once the stack does: the stack, and what the scope reports its end to.
     * A stack first asked for after the exchange ended ({@code late}) opens no scope.
     */
    private static final class Opened {

        final AsyncExitStack stack;

        final OpenScopeListener listener;

        final long openedAt;

        final boolean late;

        Opened(ExchangeScopes scopes, String description, boolean late) {
            Duration timeout = scopes.closeTimeout();
            this.late = late;
            this.openedAt = System.nanoTime();
            this.listener = late ? OpenScopeListener.NONE
                    : scopes.listeners().scopes().scopeOpened(KIND, this.openedAt);
            // An exchange ends on a signal of its pipeline, which may never come.
            this.listener.scopeEscaped();
            this.stack = late ? AsyncExitStack.forScope(description, scopes.listeners().stacks(), timeout)
                    : AsyncExitStack.forScope(description, this.listener, timeout);
        }

    }

}
