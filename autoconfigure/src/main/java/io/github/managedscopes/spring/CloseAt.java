package io.github.managedscopes.spring;

/**
 * When a {@link ManagedResource} is closed.
 */
public enum CloseAt {

    /** When the innermost scope active at the call ends. */
    SCOPE_END,

    /**
     * When the Spring transaction active at the call completes, whatever its outcome, together
     * with that transaction's {@link TransactionHooks}, last-in first-out. Called with no
     * transaction synchronization active, the resource is closed at once and the call throws
     * {@link IllegalStateException} naming the method; without spring-tx on the classpath the
     * application fails at start-up. A close failure cannot propagate then: it is logged at
     * WARN and reported as {@code HOOK_FAILED} under the resource's name.
     */
    TRANSACTION_END

}
