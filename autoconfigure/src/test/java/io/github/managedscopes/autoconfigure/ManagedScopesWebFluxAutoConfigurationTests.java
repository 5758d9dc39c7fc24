package io.github.managedscopes.autoconfigure;

import java.time.Duration;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.ServletRequestScopes;
import io.github.managedscopes.spring.reactive.ExchangeFailureRecorder;
import io.github.managedscopes.spring.reactive.ExchangeScopes;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of the WebFlux exchange scope: defaults, back-off, switches, and
 * applications with Spring MVC only, WebFlux only, or neither (see {@code docs/webflux.md}).
 */
class ManagedScopesWebFluxAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
            ManagedScopesAutoConfiguration.class, ManagedScopesWebAutoConfiguration.class,
            ManagedScopesWebFluxAutoConfiguration.class);

    private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS);

    @Test
    void givesAReactiveApplicationExchangeScopesAndTheirFailureRecorder() {
        this.reactiveRunner.run((context) -> assertThat(context).hasSingleBean(ExchangeScopes.class)
            .hasSingleBean(ExchangeFailureRecorder.class)
            .hasBean("managedScopesWebFluxConfigurer")
            .doesNotHaveBean(ServletRequestScopes.class)
            .doesNotHaveBean(ExitStack.class));
    }

    @Test
    void takesTheCloseTimeoutFromTheProperty() {
        this.reactiveRunner.withPropertyValues("managed-scopes.close-timeout=250ms")
            .run((context) -> assertThat(context.getBean(ManagedScopesProperties.class).getCloseTimeout())
                .isEqualTo(Duration.ofMillis(250)));
    }

    @Test
    void backsOffWhenTheUserDefinesTheBeans() {
        this.reactiveRunner.withUserConfiguration(UserScopes.class)
            .run((context) -> assertThat(context).getBean(ExchangeScopes.class)
                .isSameAs(context.getBean(UserScopes.class).scopes));
    }

    @Test
    void keepsOnlyTheRefusingResolverWhenTheIntegrationIsSwitchedOff() {
        this.reactiveRunner.withPropertyValues("managed-scopes.webflux.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ExchangeScopes.class)
                .doesNotHaveBean(ExchangeFailureRecorder.class)
                .hasSingleBean(WebFluxConfigurer.class));
    }

    @Test
    void keepsOnlyTheRefusingResolverWhenManagedScopesAreSwitchedOff() {
        this.reactiveRunner.withPropertyValues("managed-scopes.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ExchangeScopes.class)
                .hasSingleBean(WebFluxConfigurer.class));
    }

    @Test
    void givesAServletApplicationNoExchangeScopes() {
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .run((context) -> assertThat(context).hasSingleBean(ServletRequestScopes.class)
                .doesNotHaveBean(ExchangeScopes.class)
                .doesNotHaveBean(WebFluxConfigurer.class));
    }

    @Test
    void runsAnMvcOnlyApplicationWithoutReactorOrWebFlux() {
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withClassLoader(new FilteredClassLoader(Mono.class, DispatcherHandler.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(ServletRequestScopes.class)
                .hasSingleBean(ExitStack.class)
                .doesNotHaveBean(ExchangeScopes.class));
    }

    @Test
    void runsAWebFluxOnlyApplicationWithoutSpringMvc() {
        this.reactiveRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(ExchangeScopes.class)
                .doesNotHaveBean(ServletRequestScopes.class));
    }

    @Test
    void runsAnApplicationWithNeitherWebStack() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withClassLoader(new FilteredClassLoader(Mono.class, DispatcherHandler.class, DispatcherServlet.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ExchangeScopes.class)
                .doesNotHaveBean(ServletRequestScopes.class));
    }

    @Test
    void givesNoExchangeScopesWithoutReactor() {
        this.reactiveRunner.withClassLoader(new FilteredClassLoader(Mono.class))
            .run((context) -> assertThat(context).doesNotHaveBean(ExchangeScopes.class)
                .doesNotHaveBean(WebFluxConfigurer.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserScopes {

        final ExchangeScopes scopes = new ExchangeScopes(ManagedScopesListeners.NONE, null);

        @Bean
        ExchangeScopes exchangeScopes() {
            return this.scopes;
        }

    }

}
