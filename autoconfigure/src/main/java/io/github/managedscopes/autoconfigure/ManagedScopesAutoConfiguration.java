package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.spring.ManagedResourceAdvisor;
import io.github.managedscopes.spring.ManagedResourceAttributeSource;
import io.github.managedscopes.spring.ManagedResourceInterceptor;
import io.github.managedscopes.spring.ManagedScopeAdvisor;
import io.github.managedscopes.spring.ManagedScopeInterceptor;
import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.RequestScopeSource;
import io.github.managedscopes.spring.ScopeListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.Level;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration of managed scopes: {@link ManagedScopes}, and the advisors behind
 * {@code @ManagedScope} and {@code @ManagedResource}. Stacks and scopes report to every
 * {@link ExitStackListener} and {@link ScopeListener} bean (metrics, the actuator endpoint's
 * tracker, the application's own), in their order, combined once in the
 * {@link ManagedScopesListeners} bean.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ManagedScopesProperties.class)
@Import(ManagedScopesAutoConfiguration.AutoProxyRegistrar.class)
public final class ManagedScopesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ManagedScopesListeners managedScopesListeners(ObjectProvider<ExitStackListener> stackListeners,
            ObjectProvider<ScopeListener> scopeListeners) {
        return new ManagedScopesListeners(stackListeners.orderedStream().toList(),
                scopeListeners.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    ManagedScopes managedScopes(ManagedScopesListeners listeners, ObjectProvider<RequestScopeSource> requestScopes,
            ManagedScopesProperties properties) {
        return new ManagedScopes(listeners.scopes(), requestScopes.getIfUnique(), properties.getCloseTimeout());
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static ManagedScopeAdvisor managedScopeAdvisor(ObjectProvider<ManagedScopes> scopes) {
        return new ManagedScopeAdvisor(new ManagedScopeInterceptor(scopes::getObject));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static ManagedResourceAdvisor managedResourceAdvisor(ObjectProvider<ManagedScopesListeners> listeners,
            ObjectProvider<ManagedScopesProperties> properties, ResourceLoader resourceLoader) {
        ManagedResourceAttributeSource attributes = new ManagedResourceAttributeSource(
                resourceLoader.getClassLoader());
        ManagedResourceInterceptor interceptor = new ManagedResourceInterceptor(attributes,
                () -> listeners.getObject().stacks(),
                () -> slf4jLevel(properties.getObject().getLog().getSuppressedLevel()));
        return new ManagedResourceAdvisor(attributes, interceptor);
    }

    private static @Nullable Level slf4jLevel(LogLevel level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR, FATAL -> Level.ERROR;
            case OFF -> null;
        };
    }

    /**
     * Registers the infrastructure auto-proxy creator that applies the advisors, unless the
     * application has one already (as {@code @EnableTransactionManagement} does).
     */
    static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }

    }

}
