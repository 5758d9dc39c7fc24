package io.github.managedscopes.micrometer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

import io.github.managedscopes.spring.ScopeEnding;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import static io.github.managedscopes.micrometer.ManagedScopesMeters.ENDING;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.KIND;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.OUTCOME;

/**
 * The meters of one {@code kind} of scope: the active gauge, resolved once, which counts the
 * open scopes these meters are attached to when it is read, and a timer per outcome and
 * ending, each resolved the first time a scope ends that way.
 */
final class ScopeMeters {

    private static final ScopeEnding[] ENDINGS = ScopeEnding.values();

    final String tag;

    private final MeterRegistry registry;

    /** Indexed by {@code ending.ordinal() * 2 + (failed ? 1 : 0)}. */
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(ENDINGS.length * 2);

    ScopeMeters(MeterRegistry registry, String tag, ToDoubleFunction<ScopeMeters> active) {
        this.registry = registry;
        this.tag = tag;
        Gauge.builder(ManagedScopesMeters.SCOPES_ACTIVE, this, active)
            .tag(KIND, tag)
            .description("Managed scopes open now")
            .register(registry);
    }

    void ended(long durationNanos, boolean failed, ScopeEnding ending) {
        timer(failed, ending).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(boolean failed, ScopeEnding ending) {
        int index = ending.ordinal() * 2 + (failed ? 1 : 0);
        Timer timer = this.timers.get(index);
        if (timer == null) {
            // Racing threads resolve the same meter: the registry returns one instance per id.
            timer = Timer.builder(ManagedScopesMeters.SCOPES)
                .tag(KIND, this.tag)
                .tag(OUTCOME, failed ? ManagedScopesMeters.FAILURE : ManagedScopesMeters.SUCCESS)
                .tag(ENDING, ending.tagValue())
                .description("Durations of managed scopes")
                .publishPercentileHistogram()
                .register(this.registry);
            this.timers.set(index, timer);
        }
        return timer;
    }

}
