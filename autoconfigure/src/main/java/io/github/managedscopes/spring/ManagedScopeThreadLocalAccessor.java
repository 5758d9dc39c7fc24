package io.github.managedscopes.spring;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Carries the innermost active scope to other threads through Micrometer's context
 * propagation, so that Spring's context-propagating task decorator makes it current in
 * {@code @Async} methods and executor tasks. Propagation does not keep the scope open: take
 * a {@link ManagedScopes#lease()} for work that may outlive it.
 */
public final class ManagedScopeThreadLocalAccessor implements ThreadLocalAccessor<ActiveScope> {

    /** The key of the propagated scope. */
    public static final String KEY = "managedscopes.scope";

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public @Nullable ActiveScope getValue() {
        return ManagedScopes.scopeAlreadyOpen();
    }

    @Override
    public void setValue(ActiveScope value) {
        ManagedScopes.setThreadScope(value);
    }

    @Override
    public void setValue() {
        ManagedScopes.setThreadScope(null);
    }

    @Override
    public void restore(ActiveScope previousValue) {
        ManagedScopes.setThreadScope(previousValue);
    }

}
