package io.github.managedscopes.micrometer;

import java.time.Duration;

import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link OldestScopeMeters}: the age of the oldest open scope of each kind, 0 when none.
 */
class OldestScopeMetersTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ScopeRegistry scopes = new ScopeRegistry(ScopeRegistry.Subscriber.NONE, false);

    @Test
    void showsTheAgeOfTheOldestOpenScopeOfEachKindAndZeroOnceItEnds() {
        new OldestScopeMeters(this.scopes).bindTo(this.meters);
        assertThat(oldest("request")).isZero();
        OpenScopeListener first = this.scopes.scopeOpened("request");
        await().atMost(Duration.ofSeconds(5)).until(() -> oldest("request") > 0.5);
        OpenScopeListener second = this.scopes.scopeOpened("request");
        double withFirst = oldest("request");
        assertThat(withFirst).as("the oldest, not the newest").isGreaterThan(0.5);
        assertThat(oldest("method")).isZero();
        first.scopeEnded("request", 1, false, ScopeEnding.COMPLETED);
        assertThat(oldest("request")).as("the second scope's age, half a second younger").isLessThan(withFirst - 0.4);
        second.scopeEnded("request", 1, false, ScopeEnding.COMPLETED);
        assertThat(oldest("request")).isZero();
    }

    private double oldest(String kind) {
        return this.meters.get(ManagedScopesMeters.SCOPES_OLDEST).tag(ManagedScopesMeters.KIND, kind).gauge().value();
    }

}
