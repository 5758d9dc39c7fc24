package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * A raw exit callback, Python's {@code ExitStack.push(exit)}: it sees the failure in flight
 * and may swallow it.
 *
 * @see ExitStack#push(ExitCallback)
 */
@FunctionalInterface
public interface ExitCallback {

    /**
     * Runs at this callback's turn of the unwind.
     * @param failure the failure in flight, or {@code null} when nothing has failed
     * @return {@code true} to swallow {@code failure} (never a {@link VirtualMachineError})
     * @throws Exception if the callback itself failed
     */
    boolean onExit(@Nullable Throwable failure) throws Exception;

}
