package io.github.managedscopes.micrometer;

import java.lang.ref.Cleaner;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import org.jspecify.annotations.Nullable;

/**
 * What one scope and its stack report to: the metrics, with the resources attributed to the
 * scope so that they can be counted as abandoned if the scope is garbage-collected without
 * being unwound.
 */
final class MeteredScope implements OpenScopeListener {

    private final ManagedScopesMetrics metrics;

    private final ScopeState state;

    private final Cleaner.Cleanable cleanable;

    MeteredScope(ManagedScopesMetrics metrics, ScopeState state, Cleaner cleaner) {
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
    public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
        if (this.state.end()) {
            this.cleanable.clean();
            this.state.meters.ended(durationNanos, failed, ending);
        }
    }

}
