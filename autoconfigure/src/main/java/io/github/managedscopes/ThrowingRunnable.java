package io.github.managedscopes;

/**
 * A {@link Runnable} that may throw a checked exception.
 */
@FunctionalInterface
public interface ThrowingRunnable {

    /**
     * Runs the action.
     * @throws Exception if the action failed
     */
    void run() throws Exception;

}
