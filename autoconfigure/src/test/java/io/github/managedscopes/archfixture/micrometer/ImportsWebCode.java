package io.github.managedscopes.archfixture.micrometer;

import io.github.managedscopes.spring.ServletRequestScopes;

/**
 * Test fixture for {@code LayerArchitectureTest}: a metrics class that reaches for the
 * servlet request scope, to prove the rule against web code in the metrics can fail.
 */
public final class ImportsWebCode {

    private ImportsWebCode() {
    }

    public static String attribute() {
        return ServletRequestScopes.SCOPE_ATTRIBUTE + ServletRequestScopes.class.getName();
    }

}
