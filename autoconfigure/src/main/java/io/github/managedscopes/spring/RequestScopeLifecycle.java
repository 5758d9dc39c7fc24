package io.github.managedscopes.spring;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.context.request.RequestAttributes;

/**
 * The life of one servlet request's scope, from its lazy opening to its end, in one place:
 * it records the request's failure, ends the scope after a synchronous dispatch, and ends it
 * after asynchronous processing at the first {@link RequestScopeEnd signal} of the container,
 * the emitter, the response or the deadline. Ending is exactly once: later signals change
 * nothing. {@link ManagedScopesRequestFilter}, {@link RequestFailureRecorder}, the response
 * observer and the deadline are thin adapters that call it.
 * <p>
 * A streaming response (an emitter, a {@code StreamingResponseBody}) has a producer that may
 * still be working between two writes when the container reports an error, so the scope is
 * held open for it (see {@link #producerStarted()}) until the producer stops: its write fails
 * (after an error every write fails at once, so this is sure), its body returns, the stream
 * completes without a failure or times out, or the deadline passes. A producer that stops on
 * its first failed write never sees a closed resource.
 * <p>
 * The failure the scope ends with follows one rule: the first failure recorded wins (the
 * handler's exception, seen by the exception resolvers before anything else, over the
 * container's later report about the same request), except that a failure escaping the
 * synchronous dispatch wins over all, because it is the one the exits may swallow and the
 * caller otherwise sees.
 */
final class RequestScopeLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(RequestScopeLifecycle.class);

    private static final AtomicReferenceFieldUpdater<RequestScopeLifecycle, @Nullable RequestScopeEnd> ENDED = AtomicReferenceFieldUpdater
        .newUpdater(RequestScopeLifecycle.class, RequestScopeEnd.class, "ended");

    private static final AtomicIntegerFieldUpdater<RequestScopeLifecycle> REPORTED = AtomicIntegerFieldUpdater
        .newUpdater(RequestScopeLifecycle.class, "reported");

    private static final AtomicReferenceFieldUpdater<RequestScopeLifecycle, @Nullable Throwable> FAILURE = AtomicReferenceFieldUpdater
        .newUpdater(RequestScopeLifecycle.class, Throwable.class, "failure");

    private final ActiveScope scope;

    private final RequestScopeDeadlines deadlines;

    private final RequestScopeEndListener endListener;

    private volatile @Nullable RequestScopeEnd ended;

    private volatile @Nullable Throwable failure;

    private volatile @Nullable ScheduledFuture<?> deadline;

    private volatile @Nullable String request;

    private final ProducerHold producer = new ProducerHold();

    private volatile int reported;

    private volatile boolean containerError;

    RequestScopeLifecycle(ActiveScope scope, RequestScopeDeadlines deadlines, RequestScopeEndListener endListener) {
        this.scope = scope;
        this.deadlines = deadlines;
        this.endListener = endListener;
        scope.afterUnwind(this::unwound);
    }

    /**
     * The lifecycle of the scope {@code request} has, if it has one.
     */
    static @Nullable RequestScopeLifecycle of(ServletRequest request) {
        return inAttribute(request.getAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE));
    }

    /**
     * The lifecycle of the scope the request behind {@code attributes} has, if it has one.
     */
    static @Nullable RequestScopeLifecycle of(RequestAttributes attributes) {
        return inAttribute(
                attributes.getAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }

    /**
     * The lifecycle that a value of the {@link ServletRequestScopes#SCOPE_ATTRIBUTE} attribute
     * holds. One that its synchronous dispatch ended counts as none: the filter leaves it in the
     * attribute rather than pay for a removal on every request, and a later dispatch of the
     * request (an error page) opens a scope of its own.
     */
    private static @Nullable RequestScopeLifecycle inAttribute(@Nullable Object attribute) {
        return (attribute instanceof RequestScopeLifecycle lifecycle
                && lifecycle.ended != RequestScopeEnd.DISPATCH_RETURNED) ? lifecycle : null;
    }

    ActiveScope scope() {
        return this.scope;
    }

    /**
     * The signal that ended the scope.
     * @return it, or {@code null} while the scope is open
     */
    @Nullable RequestScopeEnd endedBy() {
        return this.ended;
    }

    /** Records a failure of the request: the first one recorded wins. */
    void record(Throwable failure) {
        FAILURE.compareAndSet(this, null, failure);
    }

    @Nullable Throwable recordedFailure() {
        return this.failure;
    }

    /**
     * Ends the scope after a synchronous dispatch, with {@code escaping} (what is about to be
     * thrown out of the filter) in flight, else the recorded failure.
     * @return whether an exit swallowed {@code escaping}
     * @throws Exception a new failure of the unwind, when {@code escaping} is {@code null}
     */
    boolean endAfterDispatch(@Nullable Throwable escaping) throws Exception {
        if (!ENDED.compareAndSet(this, null, RequestScopeEnd.DISPATCH_RETURNED)) {
            return false;
        }
        this.scope.endedBy(RequestScopeEnd.DISPATCH_RETURNED);
        try {
            if (escaping == null) {
                Throwable handled = this.failure;
                if (handled != null) {
                    this.scope.endAndLog(handled, ScopeEnding.COMPLETED);
                    return false;
                }
            }
            else {
                this.failure = escaping;
            }
            return this.scope.end(escaping, ScopeEnding.COMPLETED);
        }
        finally {
            afterOwnerEnded(RequestScopeEnd.DISPATCH_RETURNED);
        }
    }

    /**
     * The first dispatch returned with asynchronous processing started: from now on the scope
     * ends at the first asynchronous signal, and at the latest at its deadline.
     * @param description the request's method and path, for the deadline's failure
     */
    void asyncStarted(String description) {
        this.request = description;
        this.scope.escaped();
        armDeadline();
    }

    /**
     * A streaming response's producer starts: the scope stays open for it until it stops.
     */
    void producerStarted() {
        this.producer.take(this.scope);
    }

    /**
     * A streaming response's producer is handed to an executor as a task of its own: the
     * scope stays open for it, unless the request fails while the task still waits for a
     * thread (Spring then cancels the task, which never runs).
     */
    void producerQueued() {
        this.producer.queue(this.scope);
    }

    /**
     * The queued producer's task begins.
     * @return whether it may run: {@code false} once the request failed while it waited, and
     * the scope, no longer held for it, may have unwound
     */
    boolean producerRuns() {
        return this.producer.runs();
    }

    /**
     * The producer never started (its return value handler failed): lets go of its hold.
     */
    void producerNeverStarted() {
        this.producer.release();
    }

    /**
     * An end signal of asynchronous processing: the first one ends the owner's hold, with
     * {@code failure} recorded first (by the same rule) if there is one. Every signal but the
     * container's error lets go of the producer's hold too, unless such an error came first
     * (the client may have gone while the producer works between two writes): then only the
     * producer's failed write, its return, the emitter's error or time-out callback, a time-out
     * or the deadline do, or, for a producer whose task has not begun, the error itself. The
     * scope unwinds when both holds are gone.
     */
    void end(RequestScopeEnd signal, @Nullable Throwable failure) {
        if (signal == RequestScopeEnd.ASYNC_ERROR) {
            this.containerError = true;
        }
        end(signal, failure, stopsProducer(signal) || !this.containerError || this.producer.dropQueued());
    }

    private void end(RequestScopeEnd signal, @Nullable Throwable failure, boolean producerStopped) {
        if (failure != null) {
            record(failure);
        }
        Throwable inFlight = this.failure;
        if (producerStopped) {
            this.producer.release();
        }
        if (ENDED.compareAndSet(this, null, signal)) {
            if (inFlight != null && logger.isDebugEnabled()) {
                logger.debug("The request scope of {} ended on {} with {}", this.request, signal,
                        inFlight.toString());
            }
            this.scope.endedBy(signal);
            this.scope.endAndLog(inFlight, signal.ending());
        }
        afterOwnerEnded(signal);
    }

    /**
     * A write or flush of the response failed: the client has gone.
     * @param byProducer whether the write was the producer's own (which then stops), rather
     * than the return value handler's, while the producer may already be running
     */
    void clientGone(IOException failure, boolean byProducer) {
        if (byProducer) {
            end(RequestScopeEnd.CLIENT_GONE, failure);
            return;
        }
        this.containerError = true;
        end(RequestScopeEnd.CLIENT_GONE, failure, this.producer.dropQueued());
    }

    private static boolean stopsProducer(RequestScopeEnd signal) {
        // After its error callback an emitter is complete: every later send fails inside it, and
        // Spring runs the application's own error callbacks (how its producer learns to stop) then.
        return signal == RequestScopeEnd.CLIENT_GONE || signal == RequestScopeEnd.STREAM_RETURNED
                || signal == RequestScopeEnd.EMITTER_ERROR || signal == RequestScopeEnd.ASYNC_TIMEOUT
                || signal == RequestScopeEnd.EMITTER_TIMEOUT;
    }

    /**
     * After a signal: while leases (or the producer) still hold the scope open, its deadline
     * is armed.
     */
    private void afterOwnerEnded(RequestScopeEnd signal) {
        // Only asynchronous requests get a deadline: a lease dropped on a synchronous request's
        // scope is still reported when the scope is garbage-collected (ending "abandoned").
        if (!this.scope.hasEnded() && this.deadline == null && this.request != null) {
            armDeadline();
        }
    }

    /**
     * The scope has unwound (on this thread): the deadline is cancelled and how it ended is
     * reported, once.
     */
    private void unwound() {
        ScheduledFuture<?> deadline = this.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (this.endListener != RequestScopeEndListener.NONE && REPORTED.compareAndSet(this, 0, 1)) {
            RequestScopeEnd signal = this.scope.endedBy() instanceof RequestScopeEnd end ? end
                    : RequestScopeEnd.ASYNC_COMPLETE;
            this.endListener.requestScopeEnded(signal, this.failure != null);
        }
    }

    private void armDeadline() {
        if (this.deadline == null) {
            this.deadline = this.deadlines.schedule(this.scope.openedAt(), this::expire);
        }
    }

    /**
     * The deadline passed: unwinds the scope now, leases or not, with a failure that says so.
     */
    private void expire() {
        boolean first = ENDED.compareAndSet(this, null, RequestScopeEnd.MAX_LIFETIME);
        if (!first && this.scope.hasEnded()) {
            return;
        }
        TimeoutException expired = new TimeoutException("The request scope of " + describe() + " was still open "
                + this.deadlines.maxLifetime() + " after it opened ("
                + (first ? "no end signal came from the container, the emitter or the response"
                        : "ended on " + this.ended + ", but a lease still held it open")
                + "), so it was unwound by its deadline; raise " + RequestScopeDeadlines.PROPERTY
                + " if requests legitimately live longer, or close the leases taken on it");
        Throwable earlier = this.failure;
        if (earlier != null) {
            expired.initCause(earlier);
        }
        this.failure = expired;
        this.scope.endedBy(RequestScopeEnd.MAX_LIFETIME);
        if (this.scope.expire(expired)) {
            // The last safety net caught a request whose end never came: say so once.
            logger.warn("{}", expired.getMessage());
        }
    }

    private String describe() {
        String request = this.request;
        return (request != null) ? request : "a request";
    }

    @Override
    public String toString() {
        return this.scope + " of " + describe();
    }

}
