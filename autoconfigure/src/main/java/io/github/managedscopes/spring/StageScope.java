package io.github.managedscopes.spring;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * Ends the scope of a {@code @ManagedScope} method that returned a {@link CompletionStage}
 * when that stage completes, fails or is cancelled, not when the method returns: the work the
 * stage stands for still uses what the scope holds open.
 */
final class StageScope {

    private StageScope() {
    }

    /**
     * @return a stage completed after {@code scope} has unwound, as
     * {@link ManagedScopes#executeStage} describes
     */
    static CompletableFuture<@Nullable Object> endWhenComplete(ActiveScope scope, CompletionStage<?> stage) {
        CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            Throwable thrown = (failure != null) ? unwrap(failure) : null;
            ScopeEnding ending = (thrown == null) ? ScopeEnding.RETURNED
                    : (thrown instanceof CancellationException) ? ScopeEnding.CANCELLED : ScopeEnding.THREW;
            try {
                boolean swallowed = scope.end(thrown, ending);
                if (thrown != null && !swallowed) {
                    result.completeExceptionally(thrown);
                }
                else {
                    result.complete((thrown != null) ? null : value);
                }
            }
            catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        });
        result.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                cancel(stage);
            }
        });
        return result;
    }

    /** What a stage really failed with, without the wrappers that carry it. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure.getCause();
        return ((failure instanceof CompletionException || failure instanceof ExecutionException) && cause != null)
                ? unwrap(cause) : failure;
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        }
        catch (UnsupportedOperationException ex) {
            // a stage that cannot be cancelled runs to its end, and then ends the scope
        }
    }

}
