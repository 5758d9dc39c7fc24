package io.github.managedscopes.reliability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reads the library's meters the way a dashboard does: summed over their tags.
 */
public record Meters(MeterRegistry registry) {

    public double open() {
        return this.registry.find("managedscopes.resources.open").gauges().stream().mapToDouble(Gauge::value).sum();
    }

    public double activeScopes() {
        return this.registry.find("managedscopes.scopes.active").gauges().stream().mapToDouble(Gauge::value).sum();
    }

    public double leaked(String reason) {
        return this.registry.find("managedscopes.resources.leaked")
            .tag("reason", reason)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
    }

    public double suppressed(String reason) {
        return this.registry.find("managedscopes.exceptions.suppressed")
            .tag("reason", reason)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
    }

}
