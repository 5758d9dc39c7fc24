package io.github.managedscopes.spring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.managedscopes.ExitStackListener;
import org.jspecify.annotations.Nullable;

/**
 * Keeps track of the scopes that are open and of what is open in them, for the actuator
 * endpoint: each scope with its kind, the thread that opened it and when, and each open
 * resource with its name, the registering thread and when (and, when asked to, where it was
 * registered). A scope is listed until it is unwound: one that never is (a lease never
 * closed) stays listed, its age growing, which is where to look for it.
 */
public final class ActiveScopesTracker implements ExitStackListener, ScopeListener {

    private final Clock clock;

    private final boolean captureSites;

    private final Set<Scope> scopes = ConcurrentHashMap.newKeySet();

    private final Set<Resource> unscoped = ConcurrentHashMap.newKeySet();

    /**
     * Creates a tracker.
     * @param clock the clock ages are measured with
     * @param captureSites whether to capture the stack trace of each registration (costly:
     * meant for while leak detection is on)
     */
    public ActiveScopesTracker(Clock clock, boolean captureSites) {
        this.clock = clock;
        this.captureSites = captureSites;
    }

    /**
     * What is open now.
     * @return the open scopes, oldest first, with their open resources, and the resources
     * open on stacks outside any scope
     */
    public Snapshot snapshot() {
        Instant now = this.clock.instant();
        List<ScopeView> views = this.scopes.stream()
            .sorted(Comparator.comparing((Scope scope) -> scope.openedAt))
            .map((scope) -> new ScopeView(scope.kind, scope.thread, scope.openedAt,
                    Duration.between(scope.openedAt, now), views(scope.resources, now)))
            .toList();
        return new Snapshot(views, views(this.unscoped, now));
    }

    @Override
    public Object resourceRegistered(String name) {
        return track(this.unscoped, name);
    }

    @Override
    public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
        this.unscoped.remove(token);
    }

    @Override
    public OpenScopeListener scopeOpened(String kind) {
        Scope scope = new Scope(kind, Thread.currentThread().getName(), this.clock.instant());
        this.scopes.add(scope);
        return scope;
    }

    private Resource track(Set<Resource> open, String name) {
        Resource resource = new Resource(name, Thread.currentThread().getName(), this.clock.instant(),
                this.captureSites ? new Throwable().getStackTrace() : null);
        open.add(resource);
        return resource;
    }

    private static List<ResourceView> views(Set<Resource> resources, Instant now) {
        return resources.stream()
            .sorted(Comparator.comparing((Resource resource) -> resource.openedAt))
            .map((resource) -> new ResourceView(resource.name, resource.thread, resource.openedAt,
                    Duration.between(resource.openedAt, now),
                    (resource.site != null) ? Arrays.stream(resource.site).map(String::valueOf).toList() : null))
            .toList();
    }

    /**
     * What is open now.
     * @param scopes the open scopes, oldest first
     * @param unscoped resources open on stacks that belong to no scope
     */
    public record Snapshot(List<ScopeView> scopes, List<ResourceView> unscoped) {
    }

    /**
     * An open scope.
     * @param kind its kind
     * @param thread the thread that opened it
     * @param openedAt when it opened
     * @param age how long it has been open
     * @param resources its open resources, oldest first
     */
    public record ScopeView(String kind, String thread, Instant openedAt, Duration age, List<ResourceView> resources) {
    }

    /**
     * An open resource.
     * @param name its name
     * @param thread the thread that registered it
     * @param openedAt when it was registered
     * @param age how long it has been open
     * @param registrationSite the stack trace of its registration, or {@code null} unless
     * leak detection is on
     */
    public record ResourceView(String name, String thread, Instant openedAt, Duration age,
            @Nullable List<String> registrationSite) {
    }

    private record Resource(String name, String thread, Instant openedAt, StackTraceElement @Nullable [] site) {

        // Identity, not value: two registrations of the same name at once are two resources.
        @Override
        public boolean equals(@Nullable Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

    }

    /**
     * One open scope, and the listener its stack reports to.
     */
    private final class Scope implements OpenScopeListener {

        final String kind;

        final String thread;

        final Instant openedAt;

        final Set<Resource> resources = ConcurrentHashMap.newKeySet();

        Scope(String kind, String thread, Instant openedAt) {
            this.kind = kind;
            this.thread = thread;
            this.openedAt = openedAt;
        }

        @Override
        public Object resourceRegistered(String name) {
            return track(this.resources, name);
        }

        @Override
        public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
            this.resources.remove(token);
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            ActiveScopesTracker.this.scopes.remove(this);
        }

    }

}
