package io.github.managedscopes.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.github.managedscopes.SuppressionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import static io.github.managedscopes.micrometer.ManagedScopesMeters.EXCEPTION;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.OUTCOME;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.REASON;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.RESOURCE;

/**
 * The meters of one {@code resource} tag value, resolved once when the value is first seen.
 * A registration writes no meter, and a close two adder increments and no clock but the one
 * the hold time needs: the hold timers are {@link FunctionTimer}s over adders of their own
 * (count and total, no maximum), summed only when read, and the open gauge counts the open
 * resources these meters are attached to when it is read. This object holds those adders (the
 * meters hold them weakly).
 */
final class ResourceMeters {

    private static final SuppressionReason[] REASONS = SuppressionReason.values();

    final String tag;

    private final Held closed = new Held();

    private final Held closeFailed = new Held();

    final Counter threshold;

    final Counter lateRegistration;

    final Counter abandoned;

    private final MeterRegistry registry;

    /** Counters by exception class, one per {@link SuppressionReason}, each made on first use. */
    private final ConcurrentHashMap<Class<?>, Counter[]> suppressed = new ConcurrentHashMap<>();

    ResourceMeters(MeterRegistry registry, String tag, ToDoubleFunction<ResourceMeters> open) {
        this.registry = registry;
        this.tag = tag;
        Gauge.builder(ManagedScopesMeters.RESOURCES_OPEN, this, open)
            .tag(RESOURCE, tag)
            .description("Resources registered on an ExitStack and not yet closed")
            .register(registry);
        holdTimer(ManagedScopesMeters.CLOSED, this.closed);
        holdTimer(ManagedScopesMeters.CLOSE_FAILED, this.closeFailed);
        this.threshold = leaked(ManagedScopesMeters.THRESHOLD);
        this.lateRegistration = leaked(ManagedScopesMeters.LATE_REGISTRATION);
        this.abandoned = leaked(ManagedScopesMeters.ABANDONED);
    }

    /** A resource closed after {@code nanos}. */
    void held(long nanos, boolean failed) {
        Held held = (failed) ? this.closeFailed : this.closed;
        held.count.increment();
        held.nanos.add(nanos);
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

    private void holdTimer(String outcome, Held held) {
        FunctionTimer.builder(ManagedScopesMeters.RESOURCES_HELD, held, (h) -> h.count.sum(), (h) -> h.nanos.sum(),
                TimeUnit.NANOSECONDS)
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

    /** The count and total time of one hold timer. */
    private static final class Held {

        final LongAdder count = new LongAdder();

        final LongAdder nanos = new LongAdder();

    }

}
