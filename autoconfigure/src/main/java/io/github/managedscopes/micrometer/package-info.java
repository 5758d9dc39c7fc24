/**
 * Micrometer meters for managed scopes: {@link io.github.managedscopes.micrometer.ManagedScopesMetrics}
 * turns what stacks and scopes report through {@link io.github.managedscopes.ExitStackListener}
 * into the meters named in {@link io.github.managedscopes.micrometer.ManagedScopesMeters}.
 * This package depends on the core and Micrometer only (and slf4j for leak reports).
 */
@NullMarked
package io.github.managedscopes.micrometer;

import org.jspecify.annotations.NullMarked;
