/**
 * Test support for managed scopes: {@link io.github.managedscopes.test.CheckManagedScopes}
 * (a JUnit 5 extension) and {@link io.github.managedscopes.test.ManagedScopesAssertions}
 * (AssertJ assertions) fail a test that leaves a resource open or a scope active, naming each
 * resource, its scope and, while registration sites are captured, where it was registered.
 */
@NullMarked
package io.github.managedscopes.test;

import org.jspecify.annotations.NullMarked;
