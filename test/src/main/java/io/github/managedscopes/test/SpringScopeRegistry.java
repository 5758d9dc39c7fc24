package io.github.managedscopes.test;

import java.util.Arrays;

import io.github.managedscopes.spring.ScopeRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The application context's {@link ScopeRegistry} of a Spring test; loaded only when Spring's
 * TestContext framework is on the class path.
 */
final class SpringScopeRegistry {

    private SpringScopeRegistry() {
    }

    /**
     * The registry of the test's application context.
     * @return the registry, or {@code null} if the test has no Spring application context
     * @throws IllegalStateException if the context has no {@code ScopeRegistry}
     */
    static @Nullable ScopeRegistry find(ExtensionContext context) {
        boolean springTest = MergedAnnotations.from(context.getRequiredTestClass(), SearchStrategy.TYPE_HIERARCHY)
            .stream(ExtendWith.class)
            .flatMap((extendWith) -> Arrays.stream(extendWith.getClassArray("value")))
            .anyMatch(SpringExtension.class::equals);
        if (!springTest) {
            return null;
        }
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        return application.getBeanProvider(ScopeRegistry.class)
            .getIfAvailable(() -> {
                throw new IllegalStateException("The application context of " + context.getRequiredTestClass().getName()
                        + " has no ScopeRegistry bean for @CheckManagedScopes to read; it exists while the "
                        + "managed-scopes metrics (a MeterRegistry, e.g. spring-boot-starter-actuator) or the "
                        + "managedscopes actuator endpoint are on");
            });
    }

}
