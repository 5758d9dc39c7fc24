package io.github.managedscopes.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.jfr.ResourceLeakEvent;
import io.github.managedscopes.spring.RegisteredResource;
import io.github.managedscopes.spring.RegisteredScope;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Publishes what the {@link ScopeRegistry} records as the meters of {@link ManagedScopesMeters},
 * and detects leaks. Meters are resolved once per tag value and attached to each record: an
 * event costs no lookup. The gauges of open resources and active scopes count the open records
 * of the registries this subscriber hears from when they are read, so that a registration or
 * an opening writes no shared counter (under load, each such write moves a cache line between
 * cores); the meters of each tag value are held by this object, so keep it (it is a bean).
 * <p>
 * A resource of a scope garbage-collected without being unwound is counted as leaked
 * ({@value ManagedScopesMeters#ABANDONED}) and leaves the open gauge. With a leak-detection
 * threshold, a resource open longer than it is logged once at WARN with the registration site
 * the registry captured and counted as leaked ({@value ManagedScopesMeters#THRESHOLD}); without
 * one, nothing is scheduled. Every leak counted is also a {@link ResourceLeakEvent} in a Java
 * Flight Recorder recording that enables it.
 */
public final class ManagedScopesMetrics implements ScopeRegistry.Subscriber, AutoCloseable {

    private final MeterRegistry registry;

    private final TagValueLimit resourceTags;

    private final TagValueLimit exceptionTags;

    private final TagValueLimit kindTags;

    private final LeakDetector leaks;

    /** The registries this subscriber hears from: what the gauges count. */
    private final List<ScopeRegistry> registries = new CopyOnWriteArrayList<>();

    private final ConcurrentHashMap<String, ResourceMeters> resources = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, ScopeMeters> scopes = new ConcurrentHashMap<>();

    /**
     * The meters of the kind of scope last looked up: scopes of one kind (requests) mostly
     * follow each other, and comparing the kind with its tag by identity spares them the map
     * (a kind reported as {@value ManagedScopesMeters#OTHER} never matches, and takes the map).
     * Racy: a stale value only costs a lookup.
     */
    private @Nullable ScopeMeters lastScope;

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
    public void subscribed(ScopeRegistry registry) {
        this.registries.add(registry);
    }

    @Override
    public void resourceOpened(RegisteredResource resource) {
        ResourceMeters meters = resource(resource.name());
        LeakWatch watch = this.leaks.watch(resource, meters);
        resource.attach((watch != null) ? watch : meters);
    }

    @Override
    public void resourceClosed(RegisteredResource resource, @Nullable Throwable failure) {
        Object attached = resource.attachment();
        if (attached instanceof ResourceMeters meters) {
            closed(meters, resource, failure);
        }
        else if (attached instanceof LeakWatch watch) {
            closed(watch.meters(), resource, failure);
            watch.closed();
        }
    }

    @Override
    public void resourceAbandoned(RegisteredResource resource) {
        // The flight recording first: once the counter moves, the event is there to be read.
        ResourceLeakEvent.report(resource.name(), ManagedScopesMeters.ABANDONED,
                System.nanoTime() - resource.openedAtNanos(), resource.thread(), resource.site());
        Object attached = resource.attachment();
        ResourceMeters meters = meters(attached);
        if (meters != null) {
            meters.abandoned.increment();
        }
        if (attached instanceof LeakWatch watch) {
            watch.abandoned();
        }
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        resource(name).suppressed(exception.getClass(), reason, this.exceptionNames::get).increment();
    }

    @Override
    public void lateRegistration(String name) {
        // Reported on the registering thread: with leak detection on, this is where it was registered.
        ResourceLeakEvent.report(name, ManagedScopesMeters.LATE_REGISTRATION, 0, Thread.currentThread().getName(),
                (this.leaks != LeakDetector.OFF) ? new Exception("'" + name + "' was registered here") : null);
        resource(name).lateRegistration.increment();
    }

    @Override
    public void scopeOpened(RegisteredScope scope) {
        scope.attach(scope(scope.kind()));
    }

    @Override
    public void scopeEnded(RegisteredScope scope, long durationNanos, boolean failed, ScopeEnding ending) {
        if (scope.attachment() instanceof ScopeMeters meters) {
            meters.ended(durationNanos, failed, ending);
        }
    }

    /**
     * Stops leak detection.
     */
    @Override
    public void close() {
        this.leaks.close();
    }

    /** The open scopes of the registries that these meters' kind reports to. */
    private double active(ScopeMeters meters) {
        int active = 0;
        for (ScopeRegistry registry : this.registries) {
            active += registry.countOpenScopes((scope) -> scope.attachment() == meters);
        }
        return active;
    }

    /** The open resources of the registries that these meters' name reports to. */
    private double open(ResourceMeters meters) {
        int open = 0;
        for (ScopeRegistry registry : this.registries) {
            open += registry.countOpenResources((resource) -> meters(resource.attachment()) == meters);
        }
        return open;
    }

    private static @Nullable ResourceMeters meters(@Nullable Object attached) {
        return (attached instanceof LeakWatch watch) ? watch.meters() : (ResourceMeters) attached;
    }

    private static void closed(ResourceMeters meters, RegisteredResource resource, @Nullable Throwable failure) {
        meters.held(System.nanoTime() - resource.openedAtNanos(), failure != null);
    }

    private ResourceMeters resource(String name) {
        ResourceMeters meters = this.resources.get(name);
        if (meters != null) {
            return meters;
        }
        // Only values within the cap become keys, so the cache stays bounded.
        return this.resources.computeIfAbsent(this.resourceTags.apply(name),
                (tag) -> new ResourceMeters(this.registry, tag, this::open));
    }

    private ScopeMeters scope(String kind) {
        ScopeMeters last = this.lastScope;
        if (last != null && last.tag == kind) {
            return last;
        }
        ScopeMeters meters = this.scopes.get(kind);
        if (meters == null) {
            meters = this.scopes.computeIfAbsent(this.kindTags.apply(kind),
                    (tag) -> new ScopeMeters(this.registry, tag, this::active));
        }
        this.lastScope = meters;
        return meters;
    }

}
