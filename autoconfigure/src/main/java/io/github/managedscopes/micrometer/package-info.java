/**
 * Micrometer meters for managed scopes: {@link io.github.managedscopes.micrometer.ManagedScopesMetrics}
 * subscribes to the Spring layer's {@link io.github.managedscopes.spring.ScopeRegistry} and turns
 * what it records into the meters named in
 * {@link io.github.managedscopes.micrometer.ManagedScopesMeters} (the table is in
 * {@code docs/observability.md}), with leak detection after HikariCP's. Each meter is resolved
 * once per tag value and attached to the registry's records, so an event does no lookup; gauges
 * are summed only when read.
 * <p>
 * This package depends on the core, the Spring layer's registry and Micrometer only (and slf4j
 * for leak reports): no web code.
 */
@NullMarked
package io.github.managedscopes.micrometer;

import org.jspecify.annotations.NullMarked;
