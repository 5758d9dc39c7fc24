package io.github.managedscopes.spring;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.github.managedscopes.ExitStack;
import org.jspecify.annotations.Nullable;

/**
 * A scope that is open: a request, a {@code @ManagedScope} method or a programmatic scope,
 * with the stack that unwinds when it ends. Its owner (the request, the method) holds it
 * open, and so does every {@link Lease} taken on it: the stack unwinds exactly once, when
 * the last of them lets go.
 */
public final class ActiveScope {

    private static final AtomicIntegerFieldUpdater<ActiveScope> HOLDS = AtomicIntegerFieldUpdater
        .newUpdater(ActiveScope.class, "holds");

    private final String kind;

    private final String description;

    private final ExitStack stack;

    private final OpenScopeListener listener;

    private final @Nullable ActiveScope parent;

    private final long openedAt;

    private volatile int holds = 1;

    private volatile @Nullable Throwable failure;

    private volatile @Nullable ScopeEnding ending;

    private volatile @Nullable Object endedBy;

    private volatile @Nullable Runnable afterUnwind;

    /** Whether its listener was told it escaped; a racy flag, as telling twice is harmless. */
    private boolean escaped;

    /**
     * Opens a scope.
     * @param framed whether the frame that opens it is sure to end it (a {@code finally} of
     * its opener's); if not, it has {@link #escaped() escaped} from the start
     */
    ActiveScope(String kind, String description, ScopeListener listener, @Nullable ActiveScope parent,
            boolean framed) {
        this.kind = kind;
        this.description = description;
        this.parent = parent;
        this.openedAt = System.nanoTime();
        this.listener = listener.scopeOpened(kind, this.openedAt);
        this.stack = ExitStack.forScope(description, this.listener);
        if (!framed) {
            escaped();
        }
    }

    /**
     * The stack that unwinds when this scope ends.
     * @return the stack
     */
    public ExitStack stack() {
        return this.stack;
    }

    /**
     * What kind of scope this is: {@code request}, {@code method} or {@code programmatic}.
     * @return the kind
     */
    public String kind() {
        return this.kind;
    }

    /**
     * Whether this scope has ended.
     * @return {@code true} once nothing holds it open any more
     */
    public boolean hasEnded() {
        return this.holds <= 0;
    }

    @Nullable ActiveScope parent() {
        return this.parent;
    }

    long openedAt() {
        return this.openedAt;
    }

    /**
     * Runs {@code callback} once the scope has unwound (and logged what it logs), on the
     * thread that unwound it.
     */
    void afterUnwind(Runnable callback) {
        this.afterUnwind = callback;
    }

    private void unwound() {
        Runnable callback = this.afterUnwind;
        if (callback != null) {
            callback.run();
        }
    }

    /**
     * The scope may outlive the frame that opened it: from now on only its users end it (see
     * {@link OpenScopeListener#scopeEscaped()}).
     */
    void escaped() {
        if (!this.escaped) {
            this.escaped = true;
            this.listener.scopeEscaped();
        }
    }

    /**
     * Names the signal that ended this scope, for the log line of a failing unwind.
     */
    void endedBy(Object signal) {
        this.endedBy = signal;
    }

    @Nullable Object endedBy() {
        return this.endedBy;
    }

    /**
     * Keeps this scope open until the returned lease is closed.
     * @return the lease
     * @throws IllegalStateException if the scope has already ended
     */
    public Lease lease() {
        for (;;) {
            int current = this.holds;
            if (current <= 0) {
                throw new IllegalStateException("Cannot take a lease on " + this.description
                        + ": it has already ended. Take the lease while the scope is active, before handing "
                        + "the work to another thread.");
            }
            if (HOLDS.compareAndSet(this, current, current + 1)) {
                escaped();
                return new Lease(this);
            }
        }
    }

    /**
     * The owner lets go: unwinds now with {@code failure} in flight, unless leases still hold
     * the scope open, in which case the last lease to close unwinds it.
     * @param ending what ended the scope, unless an ending was recorded with its failure
     * @return whether {@code failure} was swallowed by an exit
     * @throws Exception a new failure of the unwind
     */
    boolean end(@Nullable Throwable failure, ScopeEnding ending) throws Exception {
        ended(failure, ending);
        if (HOLDS.decrementAndGet(this) != 0) {
            return false;
        }
        try {
            return unwind(failure);
        }
        finally {
            unwound();
        }
    }

    /**
     * The owner lets go where nothing can take a failure any more (the response is complete):
     * close failures are logged once instead of thrown.
     */
    void endAndLog(@Nullable Throwable failure, ScopeEnding ending) {
        ended(failure, ending);
        if (HOLDS.decrementAndGet(this) == 0) {
            unwindAndLog(failure);
        }
    }

    /**
     * Unwinds now with {@code failure} in flight, whatever still holds the scope open (the
     * deadline of a scope nothing else ended): leases closed later change nothing.
     * @return whether this call unwound the scope (it had not ended yet)
     */
    boolean expire(Throwable failure) {
        this.failure = failure;
        this.ending = ScopeEnding.MAX_LIFETIME;
        if (HOLDS.getAndSet(this, 0) <= 0) {
            return false;
        }
        unwindAndLog(failure);
        return true;
    }

    void leaseClosed() {
        if (HOLDS.decrementAndGet(this) != 0) {
            return;
        }
        Throwable ownerFailure = this.failure;
        if (ownerFailure != null) {
            unwindAndLog(ownerFailure);
            return;
        }
        try {
            unwind(null);
        }
        catch (Exception ex) {
            throw Rethrow.unchecked(ex);
        }
        finally {
            unwound();
        }
    }

    private void ended(@Nullable Throwable failure, ScopeEnding ending) {
        if (failure != null) {
            this.failure = failure;
        }
        if (this.ending == null) {
            this.ending = ending;
        }
    }

    private boolean unwind(@Nullable Throwable failure) throws Exception {
        boolean failed = true;
        try {
            boolean swallowed = this.stack.exit(failure);
            failed = failure != null && !swallowed;
            return swallowed;
        }
        finally {
            ScopeEnding end = this.ending;
            this.listener.scopeEnded(this.kind, System.nanoTime() - this.openedAt, failed,
                    (end != null) ? end : ScopeEnding.COMPLETED);
        }
    }

    private void unwindAndLog(@Nullable Throwable failure) {
        try {
            unwindAndLogOnly(failure);
        }
        finally {
            unwound();
        }
    }

    private void unwindAndLogOnly(@Nullable Throwable failure) {
        int attached = (failure != null) ? failure.getSuppressed().length : 0;
        Throwable newFailure = null;
        try {
            unwind(failure);
        }
        catch (Throwable ex) {
            newFailure = ex;
        }
        UnwindLog.outcome(this.description + endedByForLog(), failure, attached, newFailure);
    }

    private String endedByForLog() {
        Object endedBy = this.endedBy;
        return (endedBy != null) ? " (ended on " + endedBy + ")" : "";
    }

    @Override
    public String toString() {
        return this.description;
    }

}
