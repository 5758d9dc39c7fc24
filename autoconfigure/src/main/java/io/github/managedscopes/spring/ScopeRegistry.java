package io.github.managedscopes.spring;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry of what is open: the active scopes, the resources open in each of them
 * (and on stacks outside any scope), each with its name, registering thread, age and, while
 * leak detection is on, its registration site, captured once. The metrics subscribe to it
 * ({@link Subscriber}, handed each record so that no event needs a lookup), count what is open
 * from its lists when read ({@link #countOpenScopes}, {@link #countOpenResources}), and the
 * actuator endpoint reads its {@link #snapshot()}.
 * <p>
 * A scope garbage-collected without having been unwound (no end signal reached it) is taken out of
 * the registry: its open resources are reported to the subscriber as abandoned, its end as
 * {@link ScopeEnding#ABANDONED}, and one WARN names them.
 */
public final class ScopeRegistry implements ExitStackListener, ScopeListener {

    private static final Logger logger = LoggerFactory.getLogger(ScopeRegistry.class);

    static final Cleaner CLEANER = Cleaner.create((task) -> {
        Thread thread = new Thread(task, "managed-scopes-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private static final int ABANDONED_KEPT = 32;

    private final Subscriber subscriber;

    private final boolean captureSites;

    private final OpenRecords<RegisteredScope> scopes = new OpenRecords<>();

    private final RegisteredScope unscoped = new RegisteredScope(this, "none", System.nanoTime());

    /** The scopes last found abandoned, oldest first, at most {@value #ABANDONED_KEPT}; guarded by itself. */
    private final ArrayDeque<ScopeView> abandoned = new ArrayDeque<>();

    /**
     * Creates a registry.
     * @param subscriber what to tell of each record (the metrics), or {@link Subscriber#NONE}
     * @param captureSites whether to capture the stack trace of each registration (costly: meant
     * for while leak detection is on)
     */
    public ScopeRegistry(Subscriber subscriber, boolean captureSites) {
        this.subscriber = subscriber;
        this.captureSites = captureSites;
        subscriber.subscribed(this);
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
        return scopeOpened(kind, System.nanoTime());
    }

    @Override
    public OpenScopeListener scopeOpened(String kind, long openedAtNanos) {
        RegisteredScope scope = new RegisteredScope(this, kind, openedAtNanos);
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
        return SnapshotViews.of(this.scopes.open(), this.unscoped);
    }

    /**
     * The scopes last garbage-collected without having been unwound (at most
     * {@value #ABANDONED_KEPT}, the most recent), each with the resources it leaked: an abandoned
     * scope leaves the {@link #snapshot()}, so what must show every leak (a test's check that
     * nothing was left open) reads these as well.
     * @return the scopes, oldest first, each aged by how long it had been open when it was found
     */
    public List<ScopeView> abandonedScopes() {
        synchronized (this.abandoned) {
            return List.copyOf(this.abandoned);
        }
    }

    /**
     * How many open scopes {@code test} accepts. Scans the open scopes: meant for a gauge read
     * at each scrape, not for a hot path.
     * @param test which scopes to count
     * @return their number
     */
    public int countOpenScopes(Predicate<? super RegisteredScope> test) {
        return this.scopes.sum((scope) -> test.test(scope) ? 1 : 0);
    }

    /**
     * How many open resources {@code test} accepts, in the open scopes and outside any scope.
     * None is missed: a scope reports its end only once each of its resources has reported
     * its close. Scans every open resource: meant for a gauge read at each scrape, not for a
     * hot path.
     * @param test which resources to count
     * @return their number
     */
    public int countOpenResources(Predicate<? super RegisteredResource> test) {
        return this.unscoped.countOpen(test) + this.scopes.sum((scope) -> scope.countOpen(test));
    }

    private RegisteredResource register(String name, RegisteredScope scope) {
        RegistrationSite site = this.captureSites ? new RegistrationSite(name, Thread.currentThread().getName()) : null;
        RegisteredResource resource = new RegisteredResource(name, site, scope);
        this.subscriber.resourceOpened(resource);
        scope.link(resource);
        return resource;
    }

    /**
     * How long the oldest open scope of {@code kind} has been open: what a stuck scope (one
     * that no end signal reached) looks like from outside. Scans the open scopes: meant for a
     * gauge read at each scrape, not for a hot path.
     * @param kind the kind of scope
     * @return its age in nanoseconds, 0 if no scope of that kind is open
     */
    public long oldestAgeNanos(String kind) {
        long now = System.nanoTime();
        long oldest = 0;
        for (RegisteredScope scope : this.scopes.open()) {
            if (scope.kind().equals(kind)) {
                oldest = Math.max(oldest, now - scope.openedAtNanos());
            }
        }
        return oldest;
    }

    void abandoned(RegisteredScope scope, List<RegisteredResource> open) {
        ScopeView view = SnapshotViews.abandoned(scope, open);
        synchronized (this.abandoned) {
            if (this.abandoned.size() == ABANDONED_KEPT) {
                this.abandoned.removeFirst();
            }
            this.abandoned.addLast(view);
        }
        // Listed as abandoned before it leaves the open scopes: a reader of both misses nothing.
        this.scopes.close(scope);
        List<String> names = new ArrayList<>(open.size());
        for (RegisteredResource resource : open) {
            this.subscriber.resourceAbandoned(resource);
            names.add(resource.name());
        }
        long age = System.nanoTime() - scope.openedAtNanos();
        this.subscriber.scopeEnded(scope, age, true, ScopeEnding.ABANDONED);
        if (!names.isEmpty()) {
            // What is known: nothing ended the scope and nothing refers to it any more. Not why.
            logger.warn("A '{}' scope opened {} ago became unreachable without having been unwound: no end signal "
                    + "reached it (its owner never let go, or a lease on it was dropped unclosed), so the {} "
                    + "resource(s) it held were never closed and are leaked: {}. For request scopes, "
                    + "managed-scopes.request.max-lifetime unwinds such scopes before they get here",
                    scope.kind(), Duration.ofNanos(age), names.size(), names);
        }
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
         * A registry was created that reports to this subscriber, which may keep it to count
         * what is open ({@link ScopeRegistry#countOpenScopes}, {@link ScopeRegistry#countOpenResources})
         * rather than count each event itself. Called once, at the end of the registry's
         * construction, before any other event.
         * @param registry the registry
         */
        default void subscribed(ScopeRegistry registry) {
        }

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
     * What one scope and its stack report to. Once the scope escapes the frame that opened it,
     * its record is registered with the cleaner, so that the scope is reported abandoned if this
     * listener becomes unreachable without the scope having ended; a scope its frame ends costs
     * no cleaner registration.
     */
    private final class Listener implements OpenScopeListener {

        private final RegisteredScope scope;

        Listener(RegisteredScope scope) {
            this.scope = scope;
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
        public void scopeEscaped() {
            this.scope.cleanWhenUnreachable(this);
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            if (this.scope.end()) {
                ScopeRegistry.this.scopes.close(this.scope);
                ScopeRegistry.this.subscriber.scopeEnded(this.scope, durationNanos, failed, ending);
            }
        }

    }

}
