package io.github.managedscopes.micrometer;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.ContextManagers;
import io.github.managedscopes.spring.ManagedScopes;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Scopes as observations (docs/observability.md, "Traces"), on Micrometer's
 * {@link TestObservationRegistry}: one per scope, a child of the observation current when it
 * opened, low-cardinality keys only, close failures and swallowed exceptions as events.
 */
class ScopeObservationsTests {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final ManagedScopes scopes = new ManagedScopes(new ScopeObservations(this.registry), null);

    ScopeObservationsTests() {
        this.registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                ScopeObservationsTests.this.events.add(event.getName() + ": " + event.getContextualName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @AfterEach
    void uninstall() {
        this.scopes.destroy();
    }

    @Test
    void eachScopeIsAChildOfTheObservationCurrentWhenItOpenedWithItsKindOutcomeAndEnding() throws Exception {
        Observation request = Observation.start("http.server.requests", this.registry);
        try (Observation.Scope current = request.openScope()) {
            ManagedScopes.run(() -> ManagedScopes.current().register(() -> {
            }, "file"));
        }
        request.stop();
        assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(ScopeObservations.NAME, 1)
            .hasObservationWithNameEqualTo(ScopeObservations.NAME)
            .that()
            .hasParentObservationEqualTo(request)
            .hasLowCardinalityKeyValue("kind", "programmatic")
            .hasLowCardinalityKeyValue("outcome", "success")
            .hasLowCardinalityKeyValue("ending", "returned")
            .doesNotHaveError()
            .hasBeenStopped();
    }

    @Test
    void aCloseFailureIsAnEventAndTheFailedScopeAnError() {
        assertThatIOException().isThrownBy(() -> ManagedScopes.run(() -> ManagedScopes.current().register(() -> {
            throw new IOException("disk gone");
        }, "file")));
        assertThat(this.events).anySatisfy((event) -> assertThat(event)
            .startsWith("managedscopes.close.failed: close of 'file' failed")
            .contains("disk gone"));
        assertThat(this.registry).hasObservationWithNameEqualTo(ScopeObservations.NAME)
            .that()
            .hasLowCardinalityKeyValue("outcome", "failure")
            .hasLowCardinalityKeyValue("ending", "returned")
            .assertThatError()
            .hasMessageContaining("'programmatic' scope ended (returned) with a failure: its body or one of its exits threw");
    }

    @Test
    void aSwallowedExceptionIsAnEventOfAScopeThatSucceeded() throws Exception {
        ManagedScopes.run(() -> {
            ManagedScopes.current().enterContext(ContextManagers.suppress(IllegalStateException.class));
            throw new IllegalStateException("swallow me");
        });
        assertThat(this.events).anySatisfy((event) -> assertThat(event)
            .startsWith("managedscopes.exception.suppressed: swallowed on '")
            .contains("swallow me"));
        assertThat(this.registry).hasObservationWithNameEqualTo(ScopeObservations.NAME)
            .that()
            .hasLowCardinalityKeyValue("outcome", "success")
            .doesNotHaveError();
    }

    @Test
    void theObservationsOwnMetersAreFilteredOutSoThatTheScopeMetersAreTheOnlySet() throws Exception {
        SimpleMeterRegistry filtered = new SimpleMeterRegistry();
        filtered.config().meterFilter(ScopeObservations.DENY_OWN_METERS);
        SimpleMeterRegistry unfiltered = new SimpleMeterRegistry();
        this.registry.observationConfig()
            .observationHandler(new DefaultMeterObservationHandler(filtered))
            .observationHandler(new DefaultMeterObservationHandler(unfiltered));
        ManagedScopes.run(() -> {
        });
        assertThat(unfiltered.find(ScopeObservations.NAME).timer()).isNotNull();
        assertThat(filtered.getMeters()).extracting((meter) -> meter.getId().getName())
            .noneMatch((name) -> name.startsWith(ScopeObservations.NAME));
    }

}
