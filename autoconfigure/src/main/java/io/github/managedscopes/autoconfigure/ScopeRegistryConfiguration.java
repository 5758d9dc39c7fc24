package io.github.managedscopes.autoconfigure;

import java.time.Duration;

import io.github.managedscopes.spring.ScopeRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link ScopeRegistry} of the application, imported by whichever reads it (the
 * metrics, the actuator endpoint): it exists only when one of them does, and is defined once.
 * It captures registration sites while leak detection is on.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ManagedScopesProperties.class)
class ScopeRegistryConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ScopeRegistry managedScopesRegistry(ObjectProvider<ScopeRegistry.Subscriber> subscribers,
            ManagedScopesProperties properties) {
        return new ScopeRegistry(subscribers.getIfUnique(() -> ScopeRegistry.Subscriber.NONE),
                properties.getLeakDetection().getThreshold().compareTo(Duration.ZERO) > 0);
    }

}
