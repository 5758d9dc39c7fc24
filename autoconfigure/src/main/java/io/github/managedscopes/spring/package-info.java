/**
 * Scopes for Spring applications: the request's {@link io.github.managedscopes.ExitStack},
 * {@link io.github.managedscopes.spring.ManagedScopes}, {@code @ManagedScope},
 * {@code @ManagedResource} and leases that keep a scope open across threads.
 */
@NullMarked
package io.github.managedscopes.spring;

import org.jspecify.annotations.NullMarked;
