package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.ManagedScopesRequestFilter;
import io.github.managedscopes.spring.RequestFailureRecorder;
import io.github.managedscopes.spring.ServletRequestScopes;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the request scope for servlet applications: the request's
 * {@link ExitStack} bean, and the filter that unwinds it when the request is complete.
 */
@AutoConfiguration(before = ManagedScopesAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, RequestContextHolder.class })
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "managed-scopes.request.enabled", matchIfMissing = true)
public final class ManagedScopesWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ServletRequestScopes servletRequestScopes(ObjectProvider<ManagedScopesListeners> listeners) {
        return new ServletRequestScopes(listeners.getIfAvailable(() -> ManagedScopesListeners.NONE).scopes());
    }

    @Bean
    @ConditionalOnMissingBean(name = "managedScopesRequestFilter")
    FilterRegistrationBean<ManagedScopesRequestFilter> managedScopesRequestFilter() {
        FilterRegistrationBean<ManagedScopesRequestFilter> registration = new FilterRegistrationBean<>(
                new ManagedScopesRequestFilter());
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(ExitStack.class)
    ExitStack requestExitStack(ServletRequestScopes requestScopes, ApplicationContext context) {
        return requestScopes.requestStackProxy(context.getClassLoader());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DispatcherServlet.class)
    static class MvcConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RequestFailureRecorder managedScopesRequestFailureRecorder() {
            return new RequestFailureRecorder();
        }

    }

}
