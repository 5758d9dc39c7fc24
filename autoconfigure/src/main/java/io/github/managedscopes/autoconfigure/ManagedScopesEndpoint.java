package io.github.managedscopes.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.managedscopes.spring.ScopeRegistry;
import io.github.managedscopes.spring.ScopeRegistry.ResourceView;
import io.github.managedscopes.spring.ScopeRegistry.ScopeView;
import io.github.managedscopes.spring.ScopeRegistry.Snapshot;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code managedscopes} actuator endpoint: the scopes open now, what is open in each
 * (name, age, registering thread, and registration site while leak detection is on), and
 * totals. Like most endpoints it is not exposed over the web unless the application exposes it
 * ({@code management.endpoints.web.exposure.include=managedscopes}).
 */
@Endpoint(id = "managedscopes")
public class ManagedScopesEndpoint {

    private final ScopeRegistry registry;

    /**
     * Creates the endpoint.
     * @param registry what it reports
     */
    public ManagedScopesEndpoint(ScopeRegistry registry) {
        this.registry = registry;
    }

    /**
     * What is open now.
     * @return the report
     */
    @ReadOperation
    public ManagedScopesReport managedScopes() {
        Snapshot snapshot = this.registry.snapshot();
        Map<String, Integer> scopesByKind = new TreeMap<>();
        Map<String, Integer> resourcesByName = new TreeMap<>();
        for (ScopeView scope : snapshot.scopes()) {
            scopesByKind.merge(scope.kind(), 1, Integer::sum);
            count(scope.resources(), resourcesByName);
        }
        count(snapshot.unscoped(), resourcesByName);
        int openResources = resourcesByName.values().stream().mapToInt(Integer::intValue).sum();
        return new ManagedScopesReport(new Totals(snapshot.scopes().size(), openResources, scopesByKind,
                resourcesByName), snapshot.scopes(), snapshot.unscoped());
    }

    private static void count(List<ResourceView> resources, Map<String, Integer> byName) {
        for (ResourceView resource : resources) {
            byName.merge(resource.name(), 1, Integer::sum);
        }
    }

    /**
     * The endpoint's answer.
     * @param totals the counts
     * @param scopes the open scopes, oldest first, with their open resources
     * @param unscoped resources open on stacks that belong to no scope
     */
    public record ManagedScopesReport(Totals totals, List<ScopeView> scopes, List<ResourceView> unscoped) {
    }

    /**
     * Counts of what is open now.
     * @param activeScopes the number of open scopes
     * @param openResources the number of open resources, in scopes or not
     * @param activeScopesByKind open scopes by kind
     * @param openResourcesByName open resources by name
     */
    public record Totals(int activeScopes, int openResources, Map<String, Integer> activeScopesByKind,
            Map<String, Integer> openResourcesByName) {
    }

}
