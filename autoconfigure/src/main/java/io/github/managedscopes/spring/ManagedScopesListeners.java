package io.github.managedscopes.spring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import io.github.managedscopes.ExitStackListener;

/**
 * The application's listeners combined once: what stacks outside any scope report to
 * ({@link #stacks()}: transaction stacks, swallowed close failures) and what scopes report to
 * ({@link #scopes()}). A scope's stack reports to the {@link OpenScopeListener} that each
 * {@link ScopeListener} returns for it, then to every {@link ExitStackListener} that is not
 * also a {@code ScopeListener} (such a listener hears its scopes' stacks through what it
 * returned, and is not told twice).
 */
public final class ManagedScopesListeners {

    /** No listener at all. */
    public static final ManagedScopesListeners NONE = new ManagedScopesListeners(List.of(), List.of());

    private final ExitStackListener stacks;

    private final ExitStackListener[] stackOnly;

    private final ScopeListener[] scoped;

    private final OpenScopeListener unscopedScope;

    private final ScopeListener scopes;

    /**
     * Combines listeners.
     * @param stackListeners the stack listeners, in the order they hear events
     * @param scopeListeners the scope listeners, in the order they hear events
     */
    public ManagedScopesListeners(List<? extends ExitStackListener> stackListeners,
            List<? extends ScopeListener> scopeListeners) {
        Objects.requireNonNull(stackListeners, "'stackListeners' must not be null");
        Objects.requireNonNull(scopeListeners, "'scopeListeners' must not be null");
        this.stacks = CompositeExitStackListener.of(stackListeners);
        this.stackOnly = stackListeners.stream()
            .filter((listener) -> !(listener instanceof ScopeListener))
            .toArray(ExitStackListener[]::new);
        this.scoped = scopeListeners.stream()
            .map((listener) -> Objects.requireNonNull(listener, "'scopeListeners' must not contain null"))
            .filter((listener) -> listener != ScopeListener.NONE)
            .toArray(ScopeListener[]::new);
        this.unscopedScope = CompositeExitStackListener.forScope(List.of(this.stackOnly));
        this.scopes = new ScopeListener() {
            @Override
            public OpenScopeListener scopeOpened(String kind) {
                return open(kind, System.nanoTime());
            }

            @Override
            public OpenScopeListener scopeOpened(String kind, long openedAtNanos) {
                return open(kind, openedAtNanos);
            }
        };
    }

    /**
     * What stacks that belong to no scope report to.
     * @return every stack listener as one
     */
    public ExitStackListener stacks() {
        return this.stacks;
    }

    /**
     * What scopes report to.
     * @return every scope listener (and every stack listener for the scopes' stacks) as one
     */
    public ScopeListener scopes() {
        return this.scopes;
    }

    private OpenScopeListener open(String kind, long openedAtNanos) {
        ScopeListener[] scoped = this.scoped;
        if (scoped.length == 0) {
            return this.unscopedScope;
        }
        if (scoped.length == 1 && this.stackOnly.length == 0) {
            // The common case (the registry behind metrics and the endpoint): nothing to combine.
            return opened(scoped[0], kind, openedAtNanos);
        }
        List<ExitStackListener> forScope = new ArrayList<>(scoped.length + this.stackOnly.length);
        for (ScopeListener listener : scoped) {
            forScope.add(opened(listener, kind, openedAtNanos));
        }
        Collections.addAll(forScope, this.stackOnly);
        return CompositeExitStackListener.forScope(forScope);
    }

    private static OpenScopeListener opened(ScopeListener listener, String kind, long openedAtNanos) {
        OpenScopeListener opened = listener.scopeOpened(kind, openedAtNanos);
        if (opened == null) {
            throw new NullPointerException(
                    listener + " returned null from scopeOpened; return OpenScopeListener.NONE instead");
        }
        return opened;
    }

}
