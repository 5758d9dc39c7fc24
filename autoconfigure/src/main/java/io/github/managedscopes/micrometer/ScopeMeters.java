package io.github.managedscopes.micrometer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import static io.github.managedscopes.micrometer.ManagedScopesMeters.KIND;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.OUTCOME;

/**
 * The meters of one {@code kind} of scope, resolved once. Holds the active count the gauge
 * reads (the gauge itself holds it weakly).
 */
final class ScopeMeters {

    final String tag;

    /** Summed only when the gauge is read. */
    final LongAdder active = new LongAdder();

    private final Timer success;

    private final Timer failure;

    ScopeMeters(MeterRegistry registry, String tag) {
        this.tag = tag;
        Gauge.builder(ManagedScopesMeters.SCOPES_ACTIVE, this.active, LongAdder::sum)
            .tag(KIND, tag)
            .description("Managed scopes open now")
            .register(registry);
        this.success = timer(registry, ManagedScopesMeters.SUCCESS);
        this.failure = timer(registry, ManagedScopesMeters.FAILURE);
    }

    void closed(long durationNanos, boolean failed) {
        this.active.decrement();
        ((failed) ? this.failure : this.success).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder(ManagedScopesMeters.SCOPES)
            .tag(KIND, this.tag)
            .tag(OUTCOME, outcome)
            .description("Durations of managed scopes")
            .publishPercentileHistogram()
            .register(registry);
    }

}
