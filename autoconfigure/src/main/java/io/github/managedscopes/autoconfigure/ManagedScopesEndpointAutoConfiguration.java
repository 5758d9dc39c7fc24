package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.spring.ScopeRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code managedscopes} actuator endpoint, which reads the
 * application's {@link ScopeRegistry}. Both exist only while the endpoint is available
 * (enabled and exposed) or the metrics need the registry, so an application that uses
 * neither pays nothing for them.
 */
@AutoConfiguration
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
public final class ManagedScopesEndpointAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(ManagedScopesEndpoint.class)
    @Import(ScopeRegistryConfiguration.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ManagedScopesEndpoint managedScopesEndpoint(ScopeRegistry registry) {
            return new ManagedScopesEndpoint(registry);
        }

    }

}
