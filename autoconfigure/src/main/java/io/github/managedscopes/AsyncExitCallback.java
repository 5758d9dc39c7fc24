package io.github.managedscopes;

import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * A raw asynchronous exit callback, Python's {@code push_async_exit}: it sees the failure in
 * flight at its turn of the unwind and may swallow it.
 */
@FunctionalInterface
public interface AsyncExitCallback {

    /**
     * Starts the exit.
     * @param failure the failure in flight, or {@code null}
     * @return a stage completed with {@code true} to swallow {@code failure} ({@code false} or
     * {@code null} otherwise), or exceptionally if the exit failed; never {@code null}
     */
    CompletionStage<Boolean> onExitAsync(@Nullable Throwable failure);

}
