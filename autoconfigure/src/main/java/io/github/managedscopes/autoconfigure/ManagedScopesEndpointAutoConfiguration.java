package io.github.managedscopes.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.managedscopes.spring.ActiveScopesTracker;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code managedscopes} actuator endpoint, and of the tracker that
 * feeds it. Both exist only while the endpoint is available (enabled and exposed), so an
 * application that does not expose it pays nothing for it.
 */
@AutoConfiguration
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ManagedScopesProperties.class)
public final class ManagedScopesEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(ManagedScopesEndpoint.class)
    ActiveScopesTracker managedScopesTracker(ManagedScopesProperties properties) {
        return new ActiveScopesTracker(Clock.systemUTC(), properties.getLeakDetection().getThreshold().compareTo(Duration.ZERO) > 0);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(ManagedScopesEndpoint.class)
    ManagedScopesEndpoint managedScopesEndpoint(ActiveScopesTracker tracker) {
        return new ManagedScopesEndpoint(tracker);
    }

}
