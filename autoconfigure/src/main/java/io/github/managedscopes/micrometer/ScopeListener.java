package io.github.managedscopes.micrometer;

import java.lang.ref.Cleaner;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import org.jspecify.annotations.Nullable;

/**
 * What one scope and its stack report to: the metrics, with the resources attributed to the
 * scope so that they can be counted as abandoned if the scope is garbage-collected without
 * being unwound.
 */
final class ScopeListener implements ExitStackListener {

    private final ManagedScopesMetrics metrics;

    private final ScopeState state;

    private final Cleaner.Cleanable cleanable;

    ScopeListener(ManagedScopesMetrics metrics, ScopeState state, Cleaner cleaner) {
        this.metrics = metrics;
        this.state = state;
        this.cleanable = cleaner.register(this, state);
    }

    @Override
    public Object resourceRegistered(String name) {
        return this.metrics.register(name, this.state);
    }

    @Override
    public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
        this.metrics.resourceClosed(name, token, failure);
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        this.metrics.exceptionSuppressed(name, exception, reason);
    }

    @Override
    public void lateRegistration(String name) {
        this.metrics.lateRegistration(name);
    }

    @Override
    public ExitStackListener openScope(String kind) {
        return this.metrics.openScope(kind);
    }

    @Override
    public void scopeOpened(String kind) {
        this.metrics.scopeOpened(kind);
    }

    @Override
    public void scopeClosed(String kind, long durationNanos, boolean failed) {
        if (this.state.end()) {
            this.cleanable.clean();
            this.state.meters.closed(durationNanos, failed);
        }
    }

}
