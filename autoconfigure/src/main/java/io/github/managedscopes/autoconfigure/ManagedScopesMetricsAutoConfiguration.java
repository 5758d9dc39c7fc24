package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.micrometer.ManagedScopesMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the managed-scopes meters and leak detection, when the application
 * has a {@link MeterRegistry}: the meters subscribe to the application's
 * {@link io.github.managedscopes.spring.ScopeRegistry}. Ordered after Boot's meter registries by class name, so that
 * Micrometer and Boot's metrics module stay optional.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "managed-scopes.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ManagedScopesProperties.class)
@Import(ScopeRegistryConfiguration.class)
public final class ManagedScopesMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ManagedScopesMetrics managedScopesMetrics(MeterRegistry registry, ManagedScopesProperties properties) {
        return new ManagedScopesMetrics(registry, properties.getMetrics().getMaxTagValues(),
                properties.getLeakDetection().getThreshold());
    }

}
