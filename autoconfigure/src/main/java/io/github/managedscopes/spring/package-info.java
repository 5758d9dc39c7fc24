/**
 * Scopes for Spring applications, on top of the core: every request, {@code @ManagedScope}
 * method or {@link io.github.managedscopes.spring.ManagedScopes#run ManagedScopes.run} gets an
 * {@link io.github.managedscopes.ExitStack} that unwinds when it ends.
 * <ul>
 * <li><strong>Scopes.</strong> {@link io.github.managedscopes.spring.ActiveScope} owns one
 * scope's life (open, record the failure, end once, leases);
 * {@link io.github.managedscopes.spring.ManagedScopes} finds the current one and opens nested
 * ones; the advisors behind {@code @ManagedScope} and {@code @ManagedResource} are thin adapters
 * that call it.</li>
 * <li><strong>Listeners.</strong> {@link io.github.managedscopes.spring.ScopeListener} is this
 * layer's SPI: a scope opened, and through its
 * {@link io.github.managedscopes.spring.OpenScopeListener}, its stack's events and how it ended
 * ({@link io.github.managedscopes.spring.ScopeEnding}). One call per fact.
 * {@link io.github.managedscopes.spring.ManagedScopesListeners} combines the application's
 * listeners once.</li>
 * <li><strong>What is open.</strong> {@link io.github.managedscopes.spring.ScopeRegistry} records
 * active scopes and their open resources; the metrics subscribe to it, the actuator endpoint
 * reads it.</li>
 * <li><strong>Transactions.</strong> {@link io.github.managedscopes.spring.TransactionHooks}
 * and {@code closeAt = TRANSACTION_END} run on an {@code ExitStack} made for each transaction
 * (only they load spring-tx).</li>
 * <li><strong>Servlet requests.</strong> {@link io.github.managedscopes.spring.ServletRequestScopes},
 * {@link io.github.managedscopes.spring.ManagedScopesRequestFilter} and
 * {@link io.github.managedscopes.spring.RequestFailureRecorder} are the only classes here that
 * load servlet and Spring Web classes.</li>
 * </ul>
 * Depends on the core and the Spring Framework; never on the metrics or the auto-configuration.
 */
@NullMarked
package io.github.managedscopes.spring;

import org.jspecify.annotations.NullMarked;
