package io.github.managedscopes.micrometer;

import org.jspecify.annotations.Nullable;

/**
 * The token of one registered resource: its meters, when it was registered, its leak watch,
 * and its links in the list of its scope's open resources (guarded by that scope).
 */
final class OpenResource {

    final ResourceMeters meters;

    final LeakWatch watch;

    final long openedAt = System.nanoTime();

    final @Nullable ScopeState scope;

    @Nullable OpenResource previous;

    @Nullable OpenResource next;

    OpenResource(ResourceMeters meters, LeakWatch watch, @Nullable ScopeState scope) {
        this.meters = meters;
        this.watch = watch;
        this.scope = scope;
    }

    void closed(@Nullable Throwable failure) {
        if (this.scope != null) {
            this.scope.unlink(this);
        }
        this.meters.open.decrement();
        this.meters.held(System.nanoTime() - this.openedAt, failure != null);
        this.watch.closed();
    }

}
