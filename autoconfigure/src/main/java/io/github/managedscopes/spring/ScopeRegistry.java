package io.github.managedscopes.spring;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry of what is open: the active scopes, the resources open in each of them
 * (and on stacks outside any scope), each with its name, registering thread, age and, while
 * leak detection is on, its registration site, captured once. The metrics subscribe to it
 * ({@link Subscriber}, handed each record so that no event needs a lookup) and the actuator
 * endpoint reads its {@link #snapshot()}.
 * <p>
 * A scope garbage-collected without having been unwound (a lease never closed) is taken out of
 * the registry: its open resources are reported to the subscriber as abandoned, its end as
 * {@link ScopeEnding#ABANDONED}, and one WARN names them.
 */
public final class ScopeRegistry implements ExitStackListener, ScopeListener {

    private static final Logger logger = LoggerFactory.getLogger(ScopeRegistry.class);

    private static final Cleaner CLEANER = Cleaner.create((task) -> {
        Thread thread = new Thread(task, "managed-scopes-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private final Subscriber subscriber;

    private final boolean captureSites;

    private final Set<RegisteredScope> scopes = ConcurrentHashMap.newKeySet();

    private final RegisteredScope unscoped = new RegisteredScope(this, "none");

    /**
     * Creates a registry.
     * @param subscriber what to tell of each record (the metrics), or {@link Subscriber#NONE}
     * @param captureSites whether to capture the stack trace of each registration (costly: meant
     * for while leak detection is on)
     */
    public ScopeRegistry(Subscriber subscriber, boolean captureSites) {
        this.subscriber = subscriber;
        this.captureSites = captureSites;
    }

    @Override
    public Object resourceRegistered(String name) {
        return register(name, this.unscoped);
    }

    @Override
    public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
        if (token instanceof RegisteredResource resource) {
            resource.scope.unlink(resource);
            this.subscriber.resourceClosed(resource, failure);
        }
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        this.subscriber.exceptionSuppressed(name, exception, reason);
    }

    @Override
    public void lateRegistration(String name) {
        this.subscriber.lateRegistration(name);
    }

    @Override
    public OpenScopeListener scopeOpened(String kind) {
        RegisteredScope scope = new RegisteredScope(this, kind);
        this.subscriber.scopeOpened(scope);
        this.scopes.add(scope);
        return new Listener(scope);
    }

    /**
     * What is open now.
     * @return the open scopes, oldest first, with their open resources, and the resources open
     * on stacks outside any scope
     */
    public Snapshot snapshot() {
        Instant now = Instant.now();
        long nanoNow = System.nanoTime();
        List<ScopeView> views = this.scopes.stream()
            .sorted(Comparator.comparingLong(RegisteredScope::openedAtNanos))
            .map((scope) -> new ScopeView(scope.kind(), scope.thread(), at(now, nanoNow, scope.openedAtNanos()),
                    Duration.ofNanos(nanoNow - scope.openedAtNanos()), views(scope, now, nanoNow)))
            .toList();
        return new Snapshot(views, views(this.unscoped, now, nanoNow));
    }

    private RegisteredResource register(String name, RegisteredScope scope) {
        RegistrationSite site = this.captureSites ? new RegistrationSite(name, Thread.currentThread().getName()) : null;
        RegisteredResource resource = new RegisteredResource(name, site, scope);
        this.subscriber.resourceOpened(resource);
        scope.link(resource);
        return resource;
    }

    void abandoned(RegisteredScope scope, List<RegisteredResource> open) {
        this.scopes.remove(scope);
        List<String> names = new ArrayList<>(open.size());
        for (RegisteredResource resource : open) {
            this.subscriber.resourceAbandoned(resource);
            names.add(resource.name());
        }
        this.subscriber.scopeEnded(scope, System.nanoTime() - scope.openedAtNanos(), true, ScopeEnding.ABANDONED);
        if (!names.isEmpty()) {
            logger.warn("A '{}' scope was garbage-collected without being unwound (was a lease never closed?); "
                    + "{} resource(s) it held were never closed: {}", scope.kind(), names.size(), names);
        }
    }

    private static Instant at(Instant now, long nanoNow, long nanos) {
        return now.minusNanos(nanoNow - nanos);
    }

    private static List<ResourceView> views(RegisteredScope scope, Instant now, long nanoNow) {
        return scope.resources()
            .stream()
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

    /**
     * What is told of each record of the registry: the metrics. Called on the registering,
     * unwinding or cleaning thread; must be thread-safe.
     */
    public interface Subscriber {

        /** The subscriber that hears nothing. */
        Subscriber NONE = new Subscriber() {
        };

        /**
         * A resource was registered; the subscriber may {@link RegisteredResource#attach} its state.
         * @param resource the resource
         */
        default void resourceOpened(RegisteredResource resource) {
        }

        /**
         * A resource closed.
         * @param resource the resource
         * @param failure what its close threw, or {@code null}
         */
        default void resourceClosed(RegisteredResource resource, @Nullable Throwable failure) {
        }

        /**
         * A resource will never be closed: its scope was garbage-collected without being unwound.
         * @param resource the resource
         */
        default void resourceAbandoned(RegisteredResource resource) {
        }

        /**
         * A scope opened; the subscriber may {@link RegisteredScope#attach} its state.
         * @param scope the scope
         */
        default void scopeOpened(RegisteredScope scope) {
        }

        /**
         * A scope ended.
         * @param scope the scope
         * @param durationNanos how long it was open
         * @param failed whether it ended with a failure in flight
         * @param ending what ended it
         */
        default void scopeEnded(RegisteredScope scope, long durationNanos, boolean failed, ScopeEnding ending) {
        }

        /**
         * As {@link ExitStackListener#exceptionSuppressed}.
         * @param name the resource or hook it is charged to
         * @param exception the exception
         * @param reason why it did not propagate
         */
        default void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        }

        /**
         * As {@link ExitStackListener#lateRegistration}.
         * @param name the refused resource's name
         */
        default void lateRegistration(String name) {
        }

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
     * @param registrationSite the stack trace of its registration, or {@code null} unless leak
     * detection is on
     */
    public record ResourceView(String name, String thread, Instant openedAt, Duration age,
            @Nullable List<String> registrationSite) {
    }

    /**
     * What one scope and its stack report to; registered with the cleaner, so that its scope is
     * reported abandoned if it becomes unreachable without having ended.
     */
    private final class Listener implements OpenScopeListener {

        private final RegisteredScope scope;

        private final Cleaner.Cleanable cleanable;

        Listener(RegisteredScope scope) {
            this.scope = scope;
            this.cleanable = CLEANER.register(this, scope);
        }

        @Override
        public Object resourceRegistered(String name) {
            return register(name, this.scope);
        }

        @Override
        public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
            ScopeRegistry.this.resourceClosed(name, token, failure);
        }

        @Override
        public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
            ScopeRegistry.this.subscriber.exceptionSuppressed(name, exception, reason);
        }

        @Override
        public void lateRegistration(String name) {
            ScopeRegistry.this.subscriber.lateRegistration(name);
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            if (this.scope.end()) {
                this.cleanable.clean();
                ScopeRegistry.this.scopes.remove(this.scope);
                ScopeRegistry.this.subscriber.scopeEnded(this.scope, durationNanos, failed, ending);
            }
        }

    }

}
