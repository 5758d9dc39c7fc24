package io.github.managedscopes.archfixture.spring;

import io.micrometer.core.instrument.Counter;

/**
 * Test fixture for {@code LayerArchitectureTest}: a Spring-layer class that reaches for
 * Micrometer's meters, to prove the rule against it can fail.
 */
public final class ImportsMeters {

    private ImportsMeters() {
    }

    public static void count(Counter counter) {
        counter.increment();
    }

}
