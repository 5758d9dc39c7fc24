package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.reactive.AsyncExitStackArgumentResolver;
import io.github.managedscopes.spring.reactive.ExchangeFailureRecorder;
import io.github.managedscopes.spring.reactive.ExchangeScopes;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;

/**
 * Auto-configuration of the exchange scope for reactive (WebFlux) applications: each
 * exchange's {@link AsyncExitStack}, unwound when the response completes, fails or the client
 * goes away, and the handler parameter that resolves to it. Switched off (by
 * {@code managed-scopes.webflux.enabled} or {@code managed-scopes.enabled}), an
 * {@code AsyncExitStack} handler parameter fails, naming the switch, instead of resolving to
 * a stack nothing unwinds.
 */
@AutoConfiguration(after = ManagedScopesAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebFluxConfigurer.class, Mono.class })
public final class ManagedScopesWebFluxAutoConfiguration {

    static final String ENABLED = "managed-scopes.enabled";

    static final String WEBFLUX_ENABLED = "managed-scopes.webflux.enabled";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = WEBFLUX_ENABLED, matchIfMissing = true)
    @EnableConfigurationProperties(ManagedScopesProperties.class)
    static class ExchangeScopeConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ExchangeScopes exchangeScopes(ObjectProvider<ManagedScopesListeners> listeners,
                ManagedScopesProperties properties) {
            return new ExchangeScopes(listeners.getIfAvailable(() -> ManagedScopesListeners.NONE),
                    properties.getCloseTimeout());
        }

        @Bean
        @ConditionalOnMissingBean
        ExchangeFailureRecorder exchangeFailureRecorder(ObjectProvider<RequestMappingHandlerAdapter> adapter) {
            return new ExchangeFailureRecorder(adapter::getObject);
        }

        @Bean
        WebFluxConfigurer managedScopesWebFluxConfigurer() {
            return resolving(AsyncExitStackArgumentResolver.enabled());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(SwitchedOff.class)
    static class SwitchedOffConfiguration {

        @Bean
        WebFluxConfigurer managedScopesWebFluxConfigurer(Environment environment) {
            String property = environment.getProperty(ENABLED, Boolean.class, true) ? WEBFLUX_ENABLED : ENABLED;
            return resolving(AsyncExitStackArgumentResolver.switchedOff(property));
        }

    }

    private static WebFluxConfigurer resolving(AsyncExitStackArgumentResolver resolver) {
        return new WebFluxConfigurer() {

            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(resolver);
            }

        };
    }

    /**
     * Either switch is off.
     */
    static final class SwitchedOff extends AnyNestedCondition {

        SwitchedOff() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBooleanProperty(name = ENABLED, havingValue = false)
        static final class AllOff {

        }

        @ConditionalOnBooleanProperty(name = WEBFLUX_ENABLED, havingValue = false)
        static final class WebFluxOff {

        }

    }

}
