package io.github.managedscopes.spring;

import io.github.managedscopes.ExitStackListener;

/**
 * What one open scope reports to: the events of its stack (as an {@link ExitStackListener})
 * and, once, its end. Returned by {@link ScopeListener#scopeOpened}; a scope whose stack is
 * unwound reports {@link #scopeEnded} exactly once.
 */
public interface OpenScopeListener extends ExitStackListener {

    /** The listener of a scope that nothing listens to. */
    OpenScopeListener NONE = new OpenScopeListener() {
    };

    /**
     * The scope may now outlive the code that opened it: a lease was taken on it, its request
     * went asynchronous, its method returned a result that ends it later, or its opener holds
     * it open with nothing to end it but its users. Until then the opener's own frame ends it
     * for sure; from then on only its users do, and a listener that reports scopes nobody ended
     * (the registry) starts watching it. Called at most a few times, possibly from several
     * threads, before or (racing an end on another thread) after {@link #scopeEnded}.
     */
    default void scopeEscaped() {
    }

    /**
     * The scope ended and its stack was unwound.
     * @param kind the kind of scope
     * @param durationNanos how long it was open
     * @param failed whether it ended with a failure in flight that no exit swallowed
     * @param ending what ended it (a bounded value, fit for a metric tag)
     */
    default void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
    }

}
