package io.github.managedscopes.test;

import io.github.managedscopes.spring.ScopeRegistry;

/**
 * Entry point of the AssertJ assertions on what managed scopes left open:
 * {@code assertThat(registry).hasNothingOpen()}.
 */
public final class ManagedScopesAssertions {

    private ManagedScopesAssertions() {
    }

    /**
     * Assertions on what a registry records as open.
     * @param registry the registry (the application's bean, or the one {@link ManagedScopesExtension} hands a test)
     * @return the assertions
     */
    public static ScopeRegistryAssert assertThat(ScopeRegistry registry) {
        return new ScopeRegistryAssert(registry);
    }

}
