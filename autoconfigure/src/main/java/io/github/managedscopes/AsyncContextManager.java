package io.github.managedscopes;

import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Python's asynchronous context manager ({@code __aenter__}/{@code __aexit__}): entering and
 * exiting return stages instead of blocking. Entered with
 * {@link AsyncExitStack#enterAsyncContext}, it is exited in its turn of the unwind with the
 * failure in flight, and may swallow it.
 *
 * @param <T> the type of the entered value
 */
public interface AsyncContextManager<T> {

    /**
     * Starts entering.
     * @return a stage completed with the entered value, exceptionally if entering failed
     */
    CompletionStage<T> enterAsync();

    /**
     * Starts exiting.
     * @param failure the failure in flight, or {@code null} on a clean exit
     * @return a stage completed with {@code true} to swallow {@code failure} ({@code false} or
     * {@code null} otherwise), or exceptionally if exiting failed
     */
    CompletionStage<Boolean> exitAsync(@Nullable Throwable failure);

}
