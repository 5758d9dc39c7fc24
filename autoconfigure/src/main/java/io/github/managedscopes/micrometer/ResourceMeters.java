package io.github.managedscopes.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.github.managedscopes.SuppressionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import static io.github.managedscopes.micrometer.ManagedScopesMeters.EXCEPTION;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.OUTCOME;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.REASON;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.RESOURCE;

/**
 * The meters of one {@code resource} tag value, resolved once when the value is first seen.
 * Holds the open count the gauge reads (the gauge itself holds it weakly).
 */
final class ResourceMeters {

    private static final SuppressionReason[] REASONS = SuppressionReason.values();

    final String tag;

    /** Summed only when the gauge is read. */
    final LongAdder open = new LongAdder();

    final Timer closed;

    final Timer closeFailed;

    final Counter threshold;

    final Counter lateRegistration;

    final Counter abandoned;

    private final MeterRegistry registry;

    /** Counters by exception class, one per {@link SuppressionReason}, each made on first use. */
    private final ConcurrentHashMap<Class<?>, Counter[]> suppressed = new ConcurrentHashMap<>();

    ResourceMeters(MeterRegistry registry, String tag) {
        this.registry = registry;
        this.tag = tag;
        Gauge.builder(ManagedScopesMeters.RESOURCES_OPEN, this.open, LongAdder::sum)
            .tag(RESOURCE, tag)
            .description("Resources registered on an ExitStack and not yet closed")
            .register(registry);
        this.closed = held(ManagedScopesMeters.CLOSED);
        this.closeFailed = held(ManagedScopesMeters.CLOSE_FAILED);
        this.threshold = leaked(ManagedScopesMeters.THRESHOLD);
        this.lateRegistration = leaked(ManagedScopesMeters.LATE_REGISTRATION);
        this.abandoned = leaked(ManagedScopesMeters.ABANDONED);
    }

    void held(long nanos, boolean failed) {
        ((failed) ? this.closeFailed : this.closed).record(nanos, TimeUnit.NANOSECONDS);
    }

    Counter suppressed(Class<?> exception, SuppressionReason reason, Function<Class<?>, String> exceptionTag) {
        Counter[] byReason = this.suppressed.computeIfAbsent(exception, (type) -> new Counter[REASONS.length]);
        Counter counter = byReason[reason.ordinal()];
        if (counter == null) {
            counter = Counter.builder(ManagedScopesMeters.EXCEPTIONS_SUPPRESSED)
                .tag(RESOURCE, this.tag)
                .tag(EXCEPTION, exceptionTag.apply(exception))
                .tag(REASON, reason.tagValue())
                .description("Exceptions that did not propagate as the primary failure of an unwind")
                .register(this.registry);
            // Racing threads resolve the same meter: the registry returns one instance per id.
            byReason[reason.ordinal()] = counter;
        }
        return counter;
    }

    private Timer held(String outcome) {
        return Timer.builder(ManagedScopesMeters.RESOURCES_HELD)
            .tag(RESOURCE, this.tag)
            .tag(OUTCOME, outcome)
            .description("Time from a resource's registration to its close")
            .register(this.registry);
    }

    private Counter leaked(String reason) {
        return Counter.builder(ManagedScopesMeters.RESOURCES_LEAKED)
            .tag(RESOURCE, this.tag)
            .tag(REASON, reason)
            .description("Resources open past the leak-detection threshold, registered after their scope ended, "
                    + "or never closed")
            .register(this.registry);
    }

}
