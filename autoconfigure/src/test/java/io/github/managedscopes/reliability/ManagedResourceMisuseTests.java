package io.github.managedscopes.reliability;

import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.spring.ManagedResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misused {@code @ManagedResource} fails the application at start-up, naming the method,
 * never at the first call.
 */
@Tag("reliability")
class ManagedResourceMisuseTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class));

    @Test
    void aVoidMethodFailsAtStartUp() {
        assertStartUpFails(VoidMethod.class, "@ManagedResource method '" + VoidMethod.class.getName()
                + ".open' returns void, so there is nothing to register.");
    }

    @Test
    void aMethodReturningSomethingNotCloseableWithoutACloseMethodFailsAtStartUp() {
        assertStartUpFails(NotCloseable.class, "@ManagedResource method '" + NotCloseable.class.getName()
                + ".open' returns java.lang.StringBuilder, which is not AutoCloseable.");
    }

    @Test
    void anUnknownCloseMethodFailsAtStartUp() {
        assertStartUpFails(UnknownCloseMethod.class, "@ManagedResource method '" + UnknownCloseMethod.class.getName()
                + ".open' names closeMethod \"shutdown\", but java.lang.StringBuilder has no instance method");
    }

    private void assertStartUpFails(Class<?> bean, String message) {
        this.runner.withBean(bean).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageStartingWith(message);
        });
    }

    static class VoidMethod {

        @ManagedResource
        public void open() {
        }

    }

    static class NotCloseable {

        @ManagedResource
        public StringBuilder open() {
            return new StringBuilder();
        }

    }

    static class UnknownCloseMethod {

        @ManagedResource(closeMethod = "shutdown")
        public StringBuilder open() {
            return new StringBuilder();
        }

    }

}
