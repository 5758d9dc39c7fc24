package io.github.managedscopes.archfixture;

import org.springframework.util.Assert;

/**
 * Test fixture for {@code CoreArchitectureTest}: a class that breaks the core's dependency
 * rule, to prove the rule can fail.
 */
public final class DependsOnSpring {

    private DependsOnSpring() {
    }

    public static void check(Object value) {
        Assert.notNull(value, "'value' must not be null");
    }

}
