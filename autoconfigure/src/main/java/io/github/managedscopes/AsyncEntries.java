package io.github.managedscopes;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Starts the close or exit of an asynchronous entry and reads what its stage completed with.
 */
final class AsyncEntries {

    private AsyncEntries() {
    }

    /**
     * Starts the entry's close or exit.
     * @return its stage, never {@code null}
     * @throws Exception what the entry threw instead of returning a stage, or a
     * {@link NullPointerException} naming the entry if it returned {@code null}
     */
    @SuppressWarnings("unchecked")
    static CompletionStage<?> start(Object entry, int kind, @Nullable Throwable pending) throws Exception {
        CompletionStage<?> stage = switch (kind) {
            case EntrySlots.ASYNC_CLOSE -> ((AsyncCloseable) entry).closeAsync();
            case EntrySlots.ASYNC_CONTEXT -> ((AsyncContextManager<?>) entry).exitAsync(pending);
            case EntrySlots.ASYNC_STACK -> ((AsyncExitStack) entry).exitAsync(pending);
            case EntrySlots.ASYNC_PUSH -> ((AsyncExitCallback) entry).onExitAsync(pending);
            default -> ((ThrowingSupplier<? extends CompletionStage<?>>) entry).get();
        };
        if (stage == null) {
            throw new NullPointerException("'" + EntryNames.of(entry) + "' returned null instead of a "
                    + "CompletionStage from its " + method(kind) + "; return a completed stage when there is "
                    + "nothing to wait for");
        }
        return stage;
    }

    /** Whether an entry of this kind swallows the failure in flight by completing with {@code true}. */
    static boolean canSwallow(int kind) {
        return kind == EntrySlots.ASYNC_CONTEXT || kind == EntrySlots.ASYNC_STACK || kind == EntrySlots.ASYNC_PUSH;
    }

    /**
     * The stage as a completed future whose outcome can be read at once, or {@code null}. Only
     * a plain {@link CompletableFuture}: the minimal stages of {@code completedStage()} and
     * {@code minimalCompletionStage()} are subclasses whose {@code isDone()} throws.
     */
    static @Nullable CompletableFuture<?> ifDone(CompletionStage<?> stage) {
        return (stage.getClass() == CompletableFuture.class && ((CompletableFuture<?>) stage).isDone())
                ? (CompletableFuture<?>) stage : null;
    }

    /** What a completed stage failed with, unwrapped, or {@code null} if it completed normally. */
    static @Nullable Throwable failureOf(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        }
        catch (CancellationException ex) {
            // JDK 23 and later throw a new CancellationException from join(), caused by the stage's own
            return (ex.getCause() instanceof CancellationException cancelled) ? cancelled : ex;
        }
        catch (CompletionException ex) {
            return Failures.unwrap(ex);
        }
    }

    /**
     * Starts closing an entry that will never be unwound (a refused one), without waiting. A
     * failure of its stage that comes later is reported to the listener.
     * @return what it failed with at once, or {@code null}
     */
    static @Nullable Throwable startAtOnce(Object entry, int kind, ExitStackListener listener) throws Exception {
        CompletionStage<?> stage = start(entry, kind, null);
        CompletableFuture<?> done = ifDone(stage);
        if (done != null) {
            return failureOf(done);
        }
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                listener.exceptionSuppressed(EntryNames.of(entry), Failures.unwrap(failure),
                        SuppressionReason.CLOSE_DURING_FAILURE);
            }
        });
        return null;
    }

    /** The name of the method an entry of this kind was asked to run, for messages. */
    static String method(int kind) {
        return switch (kind) {
            case EntrySlots.ASYNC_CLOSE -> "closeAsync()";
            case EntrySlots.ASYNC_CONTEXT, EntrySlots.ASYNC_STACK -> "exitAsync()";
            case EntrySlots.ASYNC_PUSH -> "onExitAsync()";
            default -> "cleanup";
        };
    }

}
