package io.github.managedscopes.spring;

/**
 * Told how each request scope ended, once, when it has unwound.
 */
@FunctionalInterface
public interface RequestScopeEndListener {

    /** A listener that does nothing. */
    RequestScopeEndListener NONE = (signal, failed) -> {
    };

    /**
     * A request scope has unwound.
     * @param signal the first end signal (for a scope its deadline unwound past the leases
     * that held it, {@link RequestScopeEnd#MAX_LIFETIME})
     * @param failed whether it ended with a failure in flight
     */
    void requestScopeEnded(RequestScopeEnd signal, boolean failed);

}
