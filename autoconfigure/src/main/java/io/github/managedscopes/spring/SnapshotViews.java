package io.github.managedscopes.spring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import io.github.managedscopes.spring.ScopeRegistry.ResourceView;
import io.github.managedscopes.spring.ScopeRegistry.ScopeView;
import io.github.managedscopes.spring.ScopeRegistry.Snapshot;
import org.jspecify.annotations.Nullable;

/**
 * Turns the {@link ScopeRegistry}'s records into the immutable views of a {@link Snapshot}:
 * oldest first, with wall-clock times derived from one reading of both clocks.
 */
final class SnapshotViews {

    private SnapshotViews() {
    }

    static Snapshot of(Collection<RegisteredScope> scopes, RegisteredScope unscoped) {
        Instant now = Instant.now();
        long nanoNow = System.nanoTime();
        List<ScopeView> views = scopes.stream()
            .sorted(Comparator.comparingLong(RegisteredScope::openedAtNanos))
            .map((scope) -> view(scope, scope.resources(), now, nanoNow))
            .toList();
        return new Snapshot(views, views(unscoped.resources(), now, nanoNow));
    }

    /**
     * The view of a scope found abandoned: its age is how long it had been open then, and its
     * resources are those it leaked.
     */
    static ScopeView abandoned(RegisteredScope scope, List<RegisteredResource> leaked) {
        return view(scope, leaked, Instant.now(), System.nanoTime());
    }

    private static ScopeView view(RegisteredScope scope, List<RegisteredResource> resources, Instant now,
            long nanoNow) {
        return new ScopeView(scope.kind(), scope.thread(), at(now, nanoNow, scope.openedAtNanos()),
                Duration.ofNanos(nanoNow - scope.openedAtNanos()), views(resources, now, nanoNow));
    }

    private static Instant at(Instant now, long nanoNow, long nanos) {
        return now.minusNanos(nanoNow - nanos);
    }

    private static List<ResourceView> views(List<RegisteredResource> resources, Instant now, long nanoNow) {
        return resources.stream()
            .sorted(Comparator.comparingLong(RegisteredResource::openedAtNanos))
            .map((resource) -> new ResourceView(resource.name(), resource.thread(),
                    at(now, nanoNow, resource.openedAtNanos()), Duration.ofNanos(nanoNow - resource.openedAtNanos()),
                    sites(resource.site())))
            .toList();
    }

    private static @Nullable List<String> sites(@Nullable RegistrationSite site) {
        if (site == null) {
            return null;
        }
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : site.getStackTrace()) {
            frames.add(String.valueOf(frame));
        }
        return frames;
    }

}
