package io.github.managedscopes.spring;

import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test support: an annotation misused on a bean fails the application's start-up, naming the
 * method and saying why.
 */
final class StartUpFailures {

    private StartUpFailures() {
    }

    static void assertStartUpFailure(Class<?> beanClass, String method, String reason) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
            .withBean(beanClass)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(method)
                .hasMessageContaining(reason));
    }

}
