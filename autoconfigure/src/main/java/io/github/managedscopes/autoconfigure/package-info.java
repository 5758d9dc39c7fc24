/**
 * Auto-configuration for managed-scopes, found only through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, one
 * class per concern, each switched on by its own {@code @ConditionalOnClass}: the core wiring and
 * the combined listeners ({@code ManagedScopesAutoConfiguration}), the servlet request scope
 * ({@code ManagedScopesWebAutoConfiguration}), transactions
 * ({@code ManagedScopesTransactionAutoConfiguration}), the meters
 * ({@code ManagedScopesMetricsAutoConfiguration}) and the actuator endpoint
 * ({@code ManagedScopesEndpointAutoConfiguration}), the last two sharing the one
 * {@link io.github.managedscopes.spring.ScopeRegistry}. Properties: {@code docs/configuration.md}.
 */
@NullMarked
package io.github.managedscopes.autoconfigure;

import org.jspecify.annotations.NullMarked;
