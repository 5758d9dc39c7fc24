package io.github.managedscopes;

import java.util.concurrent.CompletionStage;

/**
 * A resource whose close is itself asynchronous (a connection handed back to a remote pool,
 * a flush over the network): registered on an {@link AsyncExitStack} with
 * {@link AsyncExitStack#registerAsync}, it is closed in its turn of the unwind, and the
 * unwind goes on only once the returned stage has completed.
 */
@FunctionalInterface
public interface AsyncCloseable {

    /**
     * Starts closing the resource.
     * @return a stage that completes when the resource is closed, exceptionally if closing
     * failed; never {@code null}
     */
    CompletionStage<?> closeAsync();

}
