package io.github.managedscopes.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.spring.ScopeListener;
import io.github.managedscopes.spring.ManagedResourceAdvisor;
import io.github.managedscopes.spring.ManagedScopeAdvisor;
import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.RequestFailureRecorder;
import io.github.managedscopes.spring.ServletRequestScopes;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Auto-configuration of managed scopes: defaults, back-off, switches and missing libraries.
 */
class ManagedScopesAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations
        .of(ManagedScopesAutoConfiguration.class, ManagedScopesWebAutoConfiguration.class);

    private final WebApplicationContextRunner webRunner = new WebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS);

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(CONFIGURATIONS);

    @Test
    void configuresScopesAndAdvisorsInAnyApplication() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(ManagedScopes.class)
            .hasSingleBean(ManagedScopeAdvisor.class)
            .hasSingleBean(ManagedResourceAdvisor.class)
            .hasSingleBean(ManagedScopesProperties.class));
    }

    @Test
    void givesNoRequestStackToANonWebApplication() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ExitStack.class)
            .doesNotHaveBean(ServletRequestScopes.class)
            .doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void givesAServletApplicationARequestStackProxyAndTheFilterThatUnwindsIt() {
        this.webRunner.run((context) -> {
            assertThat(context).hasSingleBean(ExitStack.class)
                .hasSingleBean(ServletRequestScopes.class)
                .hasSingleBean(RequestFailureRecorder.class)
                .hasBean("managedScopesRequestFilter");
            assertThat(AopUtils.isCglibProxy(context.getBean(ExitStack.class))).isTrue();
            FilterRegistrationBean<?> filter = context.getBean("managedScopesRequestFilter",
                    FilterRegistrationBean.class);
            assertThat(filter.isAsyncSupported()).isTrue();
        });
    }

    @Test
    void theRequestStackOutsideARequestSaysWhereToUseIt() {
        this.webRunner.run((context) -> assertThatIllegalStateException()
            .isThrownBy(() -> context.getBean(ExitStack.class).size())
            .withMessageContaining("No request is being handled on thread")
            .withMessageContaining("ManagedScopes.run(...)"));
    }

    @Test
    void theRequestStackOutsideARequestClosesWhatItIsGivenAndSaysWhy() {
        this.webRunner.run((context) -> {
            List<String> closed = new ArrayList<>();
            AutoCloseable file = () -> closed.add("file");
            assertThatIllegalStateException().isThrownBy(() -> context.getBean(ExitStack.class).register(file, "file"))
                .withMessageContaining("Cannot register 'file', so it was closed at once")
                .withMessageContaining("No request is being handled on thread '" + Thread.currentThread().getName());
            assertThat(closed).containsExactly("file");
        });
    }

    @Test
    void backsOffWhenTheUserDefinesTheBeans() {
        this.webRunner.withUserConfiguration(UserBeans.class).run((context) -> {
            assertThat(context).hasSingleBean(ManagedScopes.class).hasSingleBean(ExitStack.class);
            assertThat(context.getBean(ManagedScopes.class)).isSameAs(context.getBean("userScopes"));
            assertThat(context.getBean(ExitStack.class)).isSameAs(context.getBean("userStack"));
        });
    }

    @Test
    void usesTheApplicationsListener() {
        java.util.List<String> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
        this.webRunner.withBean(ExitStackListener.class, () -> new ExitStackListener() {
            @Override
            public @org.jspecify.annotations.Nullable Object resourceRegistered(String name) {
                registered.add(name);
                return null;
            }
        }).run((context) -> {
            assertThat(context).hasSingleBean(ManagedScopes.class);
            ManagedScopes.run(() -> ManagedScopes.current().register(() -> {
            }, "probe"));
            assertThat(registered).as("what the application's listener heard").containsExactly("probe");
        });
    }

    @Test
    void configuresNothingWhenDisabled() {
        this.webRunner.withPropertyValues("managed-scopes.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(ManagedScopes.class)
                .doesNotHaveBean(ManagedScopeAdvisor.class)
                .doesNotHaveBean(ExitStack.class)
                .doesNotHaveBean("managedScopesRequestFilter"));
    }

    @Test
    void keepsMethodScopesButNoRequestStackWhenTheRequestScopeIsDisabled() {
        this.webRunner.withPropertyValues("managed-scopes.request.enabled=false")
            .run((context) -> assertThat(context).hasSingleBean(ManagedScopes.class)
                .doesNotHaveBean(ExitStack.class)
                .doesNotHaveBean("managedScopesRequestFilter"));
    }

    @Test
    void givesNoRequestStackWithoutTheServletApi() {
        this.webRunner.withClassLoader(new FilteredClassLoader(Filter.class))
            .run((context) -> assertThat(context).hasSingleBean(ManagedScopes.class).doesNotHaveBean(ExitStack.class));
    }

    @Test
    void givesNoRequestStackWithoutSpringWeb() {
        this.webRunner.withClassLoader(new FilteredClassLoader(RequestContextHolder.class))
            .run((context) -> assertThat(context).hasSingleBean(ManagedScopes.class).doesNotHaveBean(ExitStack.class));
    }

    @Test
    void recordsNoHandlerFailuresWithoutSpringMvc() {
        this.webRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
            .run((context) -> assertThat(context).hasSingleBean(ExitStack.class)
                .doesNotHaveBean(RequestFailureRecorder.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        @Bean
        ManagedScopes userScopes() {
            return new ManagedScopes(ScopeListener.NONE, null);
        }

        @Bean(destroyMethod = "")
        ExitStack userStack() {
            return new ExitStack();
        }

    }

}
