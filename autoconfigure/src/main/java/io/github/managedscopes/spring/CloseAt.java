package io.github.managedscopes.spring;

/**
 * When a {@link ManagedResource} is closed.
 */
public enum CloseAt {

    /** When the innermost scope active at the call ends. */
    SCOPE_END,

    /** When the Spring transaction active at the call completes, by commit or rollback. */
    TRANSACTION_END

}
