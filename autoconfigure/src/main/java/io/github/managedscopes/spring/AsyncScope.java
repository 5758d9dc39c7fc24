package io.github.managedscopes.spring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.managedscopes.AsyncExitStack;
import org.jspecify.annotations.Nullable;

/**
 * A scope whose stack is an {@link AsyncExitStack}: a WebFlux exchange, or a
 * {@code @ManagedScope} method returning a {@code Mono} or {@code Flux}. It reports its
 * opening once, is ended exactly once by whichever signal comes first, and reports how it
 * ended once its stack has unwound.
 */
public final class AsyncScope {

    private final String kind;

    private final String description;

    private final OpenScopeListener listener;

    private final AsyncExitStack stack;

    private final long openedAt = System.nanoTime();

    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * Opens a scope.
     * @param kind the kind of scope ({@code request}, {@code method})
     * @param description what it is, for messages (for example "the scope of GET /orders")
     * @param listener what scopes report to
     * @param closeTimeout the close time-out of each asynchronous entry, or {@code null} for none
     */
    public AsyncScope(String kind, String description, ScopeListener listener, @Nullable Duration closeTimeout) {
        this.kind = kind;
        this.description = description;
        this.listener = listener.scopeOpened(kind, this.openedAt);
        // Its owner ends it when a result completes, which may never happen.
        this.listener.scopeEscaped();
        this.stack = AsyncExitStack.forScope(description, this.listener, closeTimeout);
    }

    /**
     * The stack that unwinds when this scope ends.
     * @return the stack
     */
    public AsyncExitStack stack() {
        return this.stack;
    }

    /**
     * Whether this scope has been ended (its stack may still be unwinding).
     * @return {@code true} once {@link #end} was called
     */
    public boolean hasEnded() {
        return this.ended.get();
    }

    /**
     * Ends the scope, unless it has been ended already: unwinds its stack with
     * {@code failure} in flight.
     * @param failure the failure in flight, or {@code null}
     * @param ending what ended the scope
     * @return a stage completed, once the stack has unwound, with whether {@code failure} was
     * swallowed, or exceptionally with a new failure of the unwind; {@code null} if the scope
     * had already been ended
     */
    public @Nullable CompletionStage<Boolean> end(@Nullable Throwable failure, ScopeEnding ending) {
        if (!this.ended.compareAndSet(false, true)) {
            return null;
        }
        CompletionStage<Boolean> unwound;
        try {
            unwound = this.stack.exitAsync(failure);
        }
        catch (Throwable ex) {
            unwound = CompletableFuture.failedFuture(ex);
        }
        return unwound.whenComplete((swallowed, newFailure) -> this.listener.scopeEnded(this.kind,
                System.nanoTime() - this.openedAt, newFailure != null || (failure != null && !swallowed), ending));
    }

    /**
     * Ends the scope where nothing can take a failure any more (the subscriber cancelled, the
     * client went away): what the unwind ends with is logged once, and was counted by the
     * listener as it happened.
     * @param failure the failure in flight
     * @param ending what ended the scope
     */
    public void endAndLog(Throwable failure, ScopeEnding ending) {
        int attached = failure.getSuppressed().length;
        CompletionStage<Boolean> unwound = end(failure, ending);
        if (unwound == null) {
            return;
        }
        unwound.whenComplete((swallowed, newFailure) -> UnwindLog.outcome(this.description, failure, attached,
                (newFailure != null) ? StageScope.unwrap(newFailure) : null));
    }

    @Override
    public String toString() {
        return this.description;
    }

}
