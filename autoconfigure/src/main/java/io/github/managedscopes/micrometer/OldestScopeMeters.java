package io.github.managedscopes.micrometer;

import java.util.List;

import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds {@value ManagedScopesMeters#SCOPES_OLDEST}: for each kind of scope, how long the
 * oldest open one has been open, in seconds, read from the {@link ScopeRegistry} at each
 * scrape. A request whose end signals never came shows here, and the shipped
 * {@code ManagedScopesScopeStuck} alert fires on it, before the request's deadline ends it.
 */
public final class OldestScopeMeters implements MeterBinder {

    /** The kinds of scope the Spring layer opens. */
    private static final List<String> KINDS = List.of("request", "method", "programmatic");

    private final ScopeRegistry scopes;

    /**
     * Creates the binder.
     * @param scopes the registry of open scopes (kept strongly reachable by this binder)
     */
    public OldestScopeMeters(ScopeRegistry scopes) {
        this.scopes = scopes;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String kind : KINDS) {
            Gauge.builder(ManagedScopesMeters.SCOPES_OLDEST, this, (binder) -> binder.scopes.oldestAgeNanos(kind) / 1e9)
                .tag(ManagedScopesMeters.KIND, kind)
                .baseUnit("seconds")
                .description("How long the oldest open managed scope of this kind has been open")
                .register(registry);
        }
    }

}
