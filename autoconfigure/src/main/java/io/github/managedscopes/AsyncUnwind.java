package io.github.managedscopes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * One unwind of an {@link AsyncExitStack}: a loop that runs entries while their stages are
 * already complete (a trampoline: no frame per entry) and, when one is not, returns and is
 * resumed by that stage's completion on the thread that completed it. The failure
 * bookkeeping is the stack's own {@link EntryRunner#settle}, shared with {@link ExitStack}.
 */
final class AsyncUnwind {

    private final AsyncExitStack stack;

    private final @Nullable Throwable failure;

    private final boolean closing;

    private final CompletableFuture<Object> result = new CompletableFuture<>();

    private @Nullable Throwable pending;

    private AsyncUnwind(AsyncExitStack stack, @Nullable Throwable failure, boolean closing) {
        this.stack = stack;
        this.failure = failure;
        this.closing = closing;
        this.pending = failure;
    }

    /**
     * Starts unwinding {@code stack}.
     * @param closing whether the stage completes as {@link AsyncExitStack#closeAsync()}'s
     * (else as {@link AsyncExitStack#exitAsync}'s)
     */
    @SuppressWarnings("unchecked")
    static <T> CompletableFuture<T> start(AsyncExitStack stack, @Nullable Throwable failure, boolean closing) {
        AsyncUnwind unwind = new AsyncUnwind(stack, failure, closing);
        int state = stack.beginUnwind();
        if (state == AsyncExitStack.OPEN) {
            unwind.run();
        }
        else if (state == AsyncExitStack.SEALED) {
            unwind.complete(failure);
        }
        else {
            IllegalStateException refused = new IllegalStateException("AsyncExitStack.closeAsync() or exitAsync() "
                    + "was called while the stack unwinds; an entry must not unwind the stack it belongs to, and a "
                    + "stack unwinds once at a time");
            if (failure != null) {
                refused.addSuppressed(failure);
            }
            unwind.result.completeExceptionally(refused);
        }
        return (CompletableFuture<T>) unwind.result;
    }

    /** Runs entries until one's stage is still pending or none is left. */
    void run() {
        AsyncExitStack owner = this.stack;
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
                this.pending = owner.runEntry(tracked, trackedKind, this.pending);
                continue;
            }
            CompletionStage<?> stage;
            try {
                stage = AsyncEntries.start(entry, kind, this.pending);
            }
            catch (Throwable ex) {
                this.pending = owner.settle(entry, kind, name, token, false, ex, this.pending);
                continue;
            }
            if (stage instanceof CompletableFuture<?> future && future.isDone()) {
                Throwable thrown = AsyncEntries.failureOf(future);
                settle(entry, kind, name, token, (thrown != null) ? null : future.getNow(null), thrown);
                continue;
            }
            AsyncStep step = new AsyncStep(this, entry, kind, name, token);
            if (!step.await(stage, owner.closeTimeoutNanos)) {
                return;
            }
            step.settle();
        }
        owner.restoreInterrupt();
        complete(this.pending);
    }

    /** Settles an entry whose stage completed with {@code value} or {@code thrown}. */
    void settle(Object entry, int kind, @Nullable String name, @Nullable Object token, @Nullable Object value,
            @Nullable Throwable thrown) {
        boolean swallowed = thrown == null && AsyncEntries.canSwallow(kind) && Boolean.TRUE.equals(value);
        this.pending = this.stack.settle(entry, kind, name, token, swallowed, thrown, this.pending);
    }

    ExitStackListener listener() {
        return this.stack.listener;
    }

    private void complete(@Nullable Throwable outcome) {
        if (this.closing) {
            if (outcome == null) {
                this.result.complete(null);
            }
            else {
                this.result.completeExceptionally(outcome);
            }
        }
        else if (outcome == null) {
            this.result.complete(this.failure != null);
        }
        else if (outcome == this.failure) {
            this.result.complete(Boolean.FALSE);
        }
        else {
            this.result.completeExceptionally(outcome);
        }
    }

}
