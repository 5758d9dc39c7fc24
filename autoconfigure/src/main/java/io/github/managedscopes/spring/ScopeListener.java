package io.github.managedscopes.spring;

/**
 * What the Spring layer reports about scopes: that one opened (this interface) and, through
 * the {@link OpenScopeListener} returned for it, everything that happens on its stack and how
 * it ended. One call per fact: a scope's opening is reported once, by {@link #scopeOpened},
 * and its end once, by {@link OpenScopeListener#scopeEnded}.
 * <p>
 * The facts of stacks themselves (a resource registered, closed, an exception suppressed, a
 * late registration) belong to the core's {@link io.github.managedscopes.ExitStackListener}.
 * A bean that is both hears the stack events of scopes through the {@link OpenScopeListener}
 * it returns, and those of stacks outside any scope directly.
 * <p>
 * Implementations are called on the opening thread, must be thread-safe and should not throw:
 * what {@link #scopeOpened} throws fails the opening of the scope.
 */
@FunctionalInterface
public interface ScopeListener {

    /** The listener that listens to nothing. */
    ScopeListener NONE = (kind) -> OpenScopeListener.NONE;

    /**
     * A scope opened: a request touched its stack, a {@code @ManagedScope} method started, or
     * a programmatic scope began. Returns what this scope reports to from now on: its stack's
     * events and its end. A listener with per-scope state (the open resources of each scope)
     * returns a listener of its own for each scope; one without returns a shared one.
     * @param kind the kind of scope ({@code request}, {@code method}, {@code programmatic})
     * @return the listener of this scope, never {@code null}
     */
    OpenScopeListener scopeOpened(String kind);

    /**
     * A scope opened at {@code openedAtNanos}, as {@link #scopeOpened(String)}. The scopes of
     * the starter call this one with the time they read anyway, so that a listener which
     * records when each scope opened (the registry) need not read the clock again, a cost per
     * scope; the default ignores the time.
     * @param kind the kind of scope
     * @param openedAtNanos when it opened, on the {@link System#nanoTime()} scale
     * @return the listener of this scope, never {@code null}
     */
    default OpenScopeListener scopeOpened(String kind, long openedAtNanos) {
        return scopeOpened(kind);
    }

}
