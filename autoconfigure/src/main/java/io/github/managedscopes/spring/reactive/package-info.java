/**
 * Reactive scopes: the WebFlux exchange scope and Reactor support for {@code @ManagedScope}
 * and {@code @ManagedResource} methods returning {@code Mono} or {@code Flux}. Loaded only
 * when Reactor is on the class path; scopes travel in the Reactor {@code Context}.
 */
@NullMarked
package io.github.managedscopes.spring.reactive;

import org.jspecify.annotations.NullMarked;
