package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.micrometer.ScopeObservations;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of scope observations, when the application has an
 * {@link ObservationRegistry}: each scope is an observation ({@link ScopeObservations}), a span
 * in traces, whose own meters are filtered out so that {@code managedscopes.scopes} stays the
 * one set of scope meters. Ordered after Boot's observation auto-configuration by class name.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, MeterFilter.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "managed-scopes.observations.enabled", matchIfMissing = true)
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

}
