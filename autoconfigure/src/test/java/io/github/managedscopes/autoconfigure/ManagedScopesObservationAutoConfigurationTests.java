package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.micrometer.ScopeObservations;
import io.github.managedscopes.spring.ManagedScopes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of scope observations (docs/observability.md, "Traces"): on with an
 * {@code ObservationRegistry} and Micrometer Tracing (this module's tests have it on the class
 * path) or when asked for, one set of scope meters, the switch, back-off, and Micrometer's
 * observation API missing.
 */
class ManagedScopesObservationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                ManagedScopesAutoConfiguration.class, ManagedScopesMetricsAutoConfiguration.class,
                ManagedScopesObservationAutoConfiguration.class));

    @Test
    void observesEachScopeAndKeepsTheScopesTimerTheOnlyScopeMeter() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(ScopeObservations.class);
            ManagedScopes.run(() -> {
            });
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("managedscopes.scopes").tag("kind", "programmatic").timer().count()).isEqualTo(1);
            assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
                .noneMatch((name) -> name.startsWith(ScopeObservations.NAME + ".") || name.equals(ScopeObservations.NAME));
        });
    }

    @Test
    void reportsScopesToTheApplicationsObservationRegistry() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        this.runner.withBean(ObservationRegistry.class, () -> observations).run((context) -> {
            ManagedScopes.run(() -> {
            });
            assertThat(observations).hasObservationWithNameEqualTo(ScopeObservations.NAME)
                .that()
                .hasLowCardinalityKeyValue("kind", "programmatic");
        });
    }

    @Test
    void turnsOffWithItsSwitchEvenWithMicrometerTracing() {
        this.runner.withPropertyValues("managed-scopes.observations.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ScopeObservations.class));
    }

    @Test
    void staysOffWithoutMicrometerTracingUnlessAskedFor() {
        FilteredClassLoader withoutTracing = new FilteredClassLoader(Tracer.class);
        this.runner.withClassLoader(withoutTracing)
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ScopeObservations.class));
        TestObservationRegistry observations = TestObservationRegistry.create();
        this.runner.withClassLoader(withoutTracing)
            .withPropertyValues("managed-scopes.observations.enabled=true")
            .withBean(ObservationRegistry.class, () -> observations)
            .run((context) -> {
                ManagedScopes.run(() -> {
                });
                assertThat(observations).hasObservationWithNameEqualTo(ScopeObservations.NAME);
            });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        ScopeObservations own = new ScopeObservations(ObservationRegistry.NOOP);
        this.runner.withBean(ScopeObservations.class, () -> own)
            .run((context) -> assertThat(context).getBean(ScopeObservations.class).isSameAs(own));
    }

    @Test
    void staysOffWithoutMicrometersObservationApi() {
        this.runner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ScopeObservations.class));
    }

}
