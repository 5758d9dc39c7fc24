package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.micrometer.ScopeObservations;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Auto-configuration of scope observations, when the application has an
 * {@link ObservationRegistry} and traces to put them in: each scope is an observation
 * ({@link ScopeObservations}), a span in traces, whose own meters are filtered out so that
 * {@code managedscopes.scopes} stays the one set of scope meters. On when Micrometer Tracing is
 * on the class path or {@code managed-scopes.observations.enabled} is {@code true}; without a
 * tracer an observation per scope would only feed the meter observation handler (its meters
 * denied), at a cost that dominated the library's per-request work. Ordered after Boot's
 * observation auto-configuration by class name.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, MeterFilter.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "managed-scopes.observations.enabled", matchIfMissing = true)
@Conditional(ManagedScopesObservationAutoConfiguration.ObservationsWanted.class)
@EnableConfigurationProperties(ManagedScopesProperties.class)
public final class ManagedScopesObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ScopeObservations managedScopesObservations(ObservationRegistry registry) {
        return new ScopeObservations(registry);
    }

    /** Keeps the observation's own timer out of meter registries: one set of scope meters. */
    @Bean
    MeterFilter managedScopesObservationMeterFilter() {
        return ScopeObservations.DENY_OWN_METERS;
    }

    /** Observations are wanted: asked for, or Micrometer Tracing is there to make spans of them. */
    static final class ObservationsWanted extends AnyNestedCondition {

        ObservationsWanted() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnBooleanProperty(name = "managed-scopes.observations.enabled")
        static final class AskedFor {

        }

        @ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
        static final class TracingPresent {

        }

    }

}
