package io.github.managedscopes.micrometer;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Publishes what stacks and scopes report as the meters of {@link ManagedScopesMeters}, and
 * detects leaks. Meters are resolved once per tag combination and cached: an event costs no
 * registry lookup. Open resources and active scopes are counted in adders that the gauges sum
 * only when read; this object keeps them strongly reachable, so keep it (it is a bean).
 * <p>
 * Each scope opened through {@link #scopeOpened} gets a listener of its own that attributes
 * its resources to it: if the scope is garbage-collected without being unwound, its open
 * resources are counted as leaked ({@value ManagedScopesMeters#ABANDONED}) and leave the open
 * gauge. With a leak-detection threshold, a resource open longer than it is logged once at
 * WARN with its registration site and counted as leaked ({@value ManagedScopesMeters#THRESHOLD});
 * without one, nothing is captured or scheduled.
 */
public final class ManagedScopesMetrics implements ExitStackListener, ScopeListener, AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create((task) -> {
        Thread thread = new Thread(task, "managed-scopes-cleaner");
        thread.setDaemon(true);
        return thread;
    });

    private final MeterRegistry registry;

    private final TagValueLimit resourceTags;

    private final TagValueLimit exceptionTags;

    private final TagValueLimit kindTags;

    private final LeakDetector leaks;

    private final ConcurrentHashMap<String, ResourceMeters> resources = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, ScopeMeters> scopes = new ConcurrentHashMap<>();

    private final ClassValue<String> exceptionNames = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simpleName = type.getSimpleName();
            return ManagedScopesMetrics.this.exceptionTags.apply(simpleName.isEmpty() ? type.getName() : simpleName);
        }
    };

    /**
     * Creates metrics with at most 100 values per tag and leak detection off.
     * @param registry where to register the meters
     */
    public ManagedScopesMetrics(MeterRegistry registry) {
        this(registry, 100, Duration.ZERO);
    }

    /**
     * Creates metrics.
     * @param registry where to register the meters
     * @param maxTagValues the number of distinct values each tag may take; later values are
     * reported as {@value ManagedScopesMeters#OTHER}
     * @param leakThreshold how long a resource may stay open before it is reported as leaked;
     * zero turns leak detection off
     */
    public ManagedScopesMetrics(MeterRegistry registry, int maxTagValues, Duration leakThreshold) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
        Objects.requireNonNull(leakThreshold, "'leakThreshold' must not be null");
        this.resourceTags = new TagValueLimit(maxTagValues);
        this.exceptionTags = new TagValueLimit(maxTagValues);
        this.kindTags = new TagValueLimit(maxTagValues);
        this.leaks = LeakDetector.of(leakThreshold);
    }

    @Override
    public Object resourceRegistered(String name) {
        return register(name, null);
    }

    OpenResource register(String name, @Nullable ScopeState scope) {
        ResourceMeters meters = resource(name);
        OpenResource resource = new OpenResource(meters, this.leaks.watch(name, meters), scope);
        if (scope != null) {
            scope.link(resource);
        }
        meters.open.increment();
        return resource;
    }

    @Override
    public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
        if (token instanceof OpenResource resource) {
            resource.closed(failure);
        }
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        resource(name).suppressed(exception.getClass(), reason, this.exceptionNames::get).increment();
    }

    @Override
    public void lateRegistration(String name) {
        resource(name).lateRegistration.increment();
    }

    @Override
    public OpenScopeListener scopeOpened(String kind) {
        ScopeMeters meters = scope(kind);
        meters.active.increment();
        return new MeteredScope(this, new ScopeState(meters), CLEANER);
    }

    /**
     * Stops leak detection.
     */
    @Override
    public void close() {
        this.leaks.close();
    }

    private ResourceMeters resource(String name) {
        ResourceMeters meters = this.resources.get(name);
        if (meters != null) {
            return meters;
        }
        // Only values within the cap become keys, so the cache stays bounded.
        return this.resources.computeIfAbsent(this.resourceTags.apply(name),
                (tag) -> new ResourceMeters(this.registry, tag));
    }

    private ScopeMeters scope(String kind) {
        ScopeMeters meters = this.scopes.get(kind);
        if (meters != null) {
            return meters;
        }
        return this.scopes.computeIfAbsent(this.kindTags.apply(kind), (tag) -> new ScopeMeters(this.registry, tag));
    }

}
