package io.github.managedscopes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * One unwind of an {@link AsyncExitStack}: a loop that runs entries while their stages are
 * already complete (a trampoline: no frame per entry) and, when one is not, returns and is
 * resumed by that stage's completion on the thread that completed it. The failure
 * bookkeeping is the stack's own {@link EntryRunner#settle}, shared with {@link ExitStack};
 * the failure in flight lives in the stack ({@link LockedEntries#pending}), which one unwind
 * at a time owns. An unwind whose stages are all complete runs on the caller's thread to the
 * end and allocates no {@code AsyncUnwind}: only the completed stage it returns.
 */
final class AsyncUnwind {

    private final AsyncExitStack stack;

    private final @Nullable Throwable failure;

    private final boolean closing;

    private final CompletableFuture<Object> result = new CompletableFuture<>();

    private AsyncUnwind(AsyncExitStack stack, @Nullable Throwable failure, boolean closing) {
        this.stack = stack;
        this.failure = failure;
        this.closing = closing;
    }

    /**
     * Starts unwinding {@code stack}.
     * @param closing whether the stage completes as {@link AsyncExitStack#closeAsync()}'s
     * (else as {@link AsyncExitStack#exitAsync}'s)
     */
    @SuppressWarnings("unchecked")
    static <T> CompletableFuture<T> start(AsyncExitStack stack, @Nullable Throwable failure, boolean closing) {
        int state = stack.beginUnwind();
        if (state == AsyncExitStack.OPEN) {
            stack.pending = failure;
            AsyncUnwind waiting = run(stack, failure, closing, null);
            if (waiting != null) {
                return (CompletableFuture<T>) waiting.result;
            }
            Throwable outcome = stack.pending;
            stack.pending = null;
            Throwable thrown = thrown(outcome, failure, closing);
            return (thrown != null) ? CompletableFuture.failedFuture(thrown)
                    : CompletableFuture.completedFuture((T) value(outcome, failure, closing));
        }
        if (state == AsyncExitStack.SEALED) {
            return CompletableFuture.completedFuture((T) value(failure, failure, closing));
        }
        IllegalStateException refused = new IllegalStateException("AsyncExitStack.closeAsync() or exitAsync() "
                + "was called while the stack unwinds; an entry must not unwind the stack it belongs to, and a "
                + "stack unwinds once at a time");
        if (failure != null) {
            refused.addSuppressed(failure);
        }
        return CompletableFuture.failedFuture(refused);
    }

    /**
     * Runs entries until one's stage is still pending or none is left.
     * @param resumed the unwind that waited for a stage, or {@code null} on the caller's thread
     * @return the unwind that waits for a pending stage, or {@code null} once none is left
     */
    private static @Nullable AsyncUnwind run(AsyncExitStack owner, @Nullable Throwable failure, boolean closing,
            @Nullable AsyncUnwind resumed) {
        for (;;) {
            Object entry = owner.takeNext();
            if (entry == null) {
                break;
            }
            int kind = owner.takenKind;
            Object tracked = entry;
            int trackedKind = kind;
            String name = null;
            Object token = null;
            if (kind == EntrySlots.TRACKED) {
                EntryRunner.Tracked wrapper = (EntryRunner.Tracked) entry;
                entry = wrapper.entry();
                kind = wrapper.kind();
                name = wrapper.name();
                token = wrapper.token();
            }
            if (kind < EntrySlots.ASYNC_CLOSE) {
                owner.pending = owner.runEntry(tracked, trackedKind, owner.pending);
                continue;
            }
            CompletionStage<?> stage;
            try {
                stage = AsyncEntries.start(entry, kind, owner.pending);
            }
            catch (Throwable ex) {
                owner.pending = owner.settle(entry, kind, name, token, false, ex, owner.pending);
                continue;
            }
            CompletableFuture<?> done = AsyncEntries.ifDone(stage);
            if (done != null) {
                Throwable thrown = AsyncEntries.failureOf(done);
                settle(owner, entry, kind, name, token, (thrown != null) ? null : done.getNow(null), thrown);
                continue;
            }
            AsyncUnwind unwind = (resumed != null) ? resumed : new AsyncUnwind(owner, failure, closing);
            AsyncStep step = new AsyncStep(unwind, entry, kind, name, token);
            if (!step.await(stage, owner.closeTimeoutNanos)) {
                return unwind;
            }
            step.settle();
        }
        owner.restoreInterrupt();
        return null;
    }

    /** Goes on after a stage that was pending has been settled, on the thread that settled it. */
    void resume() {
        if (run(this.stack, this.failure, this.closing, this) != null) {
            return;
        }
        Throwable outcome = this.stack.pending;
        this.stack.pending = null;
        Throwable thrown = thrown(outcome, this.failure, this.closing);
        if (thrown != null) {
            this.result.completeExceptionally(thrown);
        }
        else {
            this.result.complete(value(outcome, this.failure, this.closing));
        }
    }

    /** Settles an entry whose stage completed with {@code value} or {@code thrown}. */
    void settle(Object entry, int kind, @Nullable String name, @Nullable Object token, @Nullable Object value,
            @Nullable Throwable thrown) {
        settle(this.stack, entry, kind, name, token, value, thrown);
    }

    private static void settle(AsyncExitStack owner, Object entry, int kind, @Nullable String name,
            @Nullable Object token, @Nullable Object value, @Nullable Throwable thrown) {
        boolean swallowed = thrown == null && AsyncEntries.canSwallow(kind) && Boolean.TRUE.equals(value);
        owner.pending = owner.settle(entry, kind, name, token, swallowed, thrown, owner.pending);
    }

    ExitStackListener listener() {
        return this.stack.listener;
    }

    /**
     * What the unwind's stage completes exceptionally with: for {@code closeAsync()}, the
     * outcome; for {@code exitAsync}, the outcome unless it is the failure passed in, which
     * the caller already has (the stage then says {@code false}: not swallowed).
     */
    private static @Nullable Throwable thrown(@Nullable Throwable outcome, @Nullable Throwable failure,
            boolean closing) {
        return (closing || outcome != failure) ? outcome : null;
    }

    /** What the unwind's stage completes with when {@link #thrown} is {@code null}. */
    private static @Nullable Boolean value(@Nullable Throwable outcome, @Nullable Throwable failure,
            boolean closing) {
        return closing ? null : Boolean.valueOf(outcome == null && failure != null);
    }

}
