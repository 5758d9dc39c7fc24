package io.github.managedscopes.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import io.github.managedscopes.micrometer.ManagedScopesMeters;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A resource instrumented by hand with the meters {@code ManagedScopesMetrics} publishes for
 * it: the {@value ManagedScopesMeters#RESOURCES_HELD} timer of a clean close, fed by a
 * {@link Timer.Sample} per resource, and the open count, an adder that the
 * {@value ManagedScopesMeters#RESOURCES_OPEN} gauge sums only when read. Everything is
 * resolved once, when this object is made, as the library resolves them once per name.
 */
final class HandMeters {

    private final Clock clock;

    private final Timer held;

    /** Read by the gauge, which holds it weakly. */
    private final LongAdder open = new LongAdder();

    HandMeters(MeterRegistry registry, String name) {
        this.clock = registry.config().clock();
        Gauge.builder(ManagedScopesMeters.RESOURCES_OPEN, this.open, LongAdder::sum)
            .tag(ManagedScopesMeters.RESOURCE, name)
            .register(registry);
        this.held = Timer.builder(ManagedScopesMeters.RESOURCES_HELD)
            .tag(ManagedScopesMeters.RESOURCE, name)
            .tag(ManagedScopesMeters.OUTCOME, ManagedScopesMeters.CLOSED)
            .register(registry);
    }

    /** Counts a resource just opened and starts timing it. */
    Timer.Sample opened() {
        this.open.increment();
        return Timer.start(this.clock);
    }

    /** Counts the resource of {@code sample} closed and records how long it was held. */
    void closed(Timer.Sample sample) {
        this.open.decrement();
        sample.stop(this.held);
    }

}
