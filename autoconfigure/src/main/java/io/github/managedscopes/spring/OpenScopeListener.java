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
     * The scope ended and its stack was unwound.
     * @param kind the kind of scope
     * @param durationNanos how long it was open
     * @param failed whether it ended with a failure in flight that no exit swallowed
     * @param ending what ended it (a bounded value, fit for a metric tag)
     */
    default void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
    }

}
