package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.managedscopes.micrometer.ManagedScopesMeters;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A resource instrumented by hand with the meters {@code ManagedScopesMetrics} publishes for
 * it: the {@value ManagedScopesMeters#RESOURCES_HELD} timer of a clean close, a
 * {@link FunctionTimer} over a count and a total kept in adders, fed by a
 * {@link System#nanoTime()} reading at the open and at the close, and the open count, which
 * the {@value ManagedScopesMeters#RESOURCES_OPEN} gauge computes from an adder of
 * registrations and the close count only when read. Everything is resolved once, when this
 * object is made, as the library resolves them once per name.
 */
final class HandMeters {

    /** Read by the gauge and the timer, which hold them weakly. */
    private final LongAdder registered = new LongAdder();

    private final LongAdder closed = new LongAdder();

    private final LongAdder heldNanos = new LongAdder();

    HandMeters(MeterRegistry registry, String name) {
        Gauge.builder(ManagedScopesMeters.RESOURCES_OPEN, this, HandMeters::open)
            .tag(ManagedScopesMeters.RESOURCE, name)
            .register(registry);
        FunctionTimer.builder(ManagedScopesMeters.RESOURCES_HELD, this, (meters) -> meters.closed.sum(),
                (meters) -> meters.heldNanos.sum(), TimeUnit.NANOSECONDS)
            .tag(ManagedScopesMeters.RESOURCE, name)
            .tag(ManagedScopesMeters.OUTCOME, ManagedScopesMeters.CLOSED)
            .register(registry);
    }

    /**
     * Counts a resource just opened and starts timing it.
     * @return when it opened
     */
    long opened() {
        this.registered.increment();
        return System.nanoTime();
    }

    /** Counts the resource opened at {@code openedAt} closed and records how long it was held. */
    void closed(long openedAt) {
        this.closed.increment();
        this.heldNanos.add(System.nanoTime() - openedAt);
    }

    private double open() {
        long closes = this.closed.sum();
        return this.registered.sum() - closes;
    }

}
