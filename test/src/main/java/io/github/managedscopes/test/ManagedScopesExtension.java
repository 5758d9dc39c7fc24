package io.github.managedscopes.test;

import java.time.Duration;
import java.time.Instant;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.ScopeRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link CheckManagedScopes}: fails a test that leaves a managed
 * resource open or a managed scope active when it ends.
 * <ul>
 * <li>In a plain test, it installs, for the test's duration, a {@link ManagedScopes} that
 * reports to a fresh {@link ScopeRegistry} (capturing registration sites): scopes opened with
 * {@code ManagedScopes.run}/{@code call} and what is registered on them are watched. A test
 * parameter of type {@code ScopeRegistry} or {@code ExitStackListener} receives that registry,
 * for stacks the test builds itself ({@code new ExitStack(listener)}).</li>
 * <li>In a test with a Spring application context ({@code @SpringBootTest}, over a real server
 * or not), it reads the context's own {@code ScopeRegistry} bean (it exists while the metrics
 * or the actuator endpoint are on) and judges only what was opened during the test.</li>
 * </ul>
 * Either way it waits up to {@link CheckManagedScopes#awaitUnwindMillis()} for scopes still
 * unwinding (a request's scope ends after its response was sent) before judging.
 */
public final class ManagedScopesExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
        .create(ManagedScopesExtension.class);

    private static final boolean SPRING_TEST_PRESENT = isPresent(
            "org.springframework.test.context.junit.jupiter.SpringExtension");

    @Override
    public void beforeEach(ExtensionContext context) {
        CheckManagedScopes settings = settings(context);
        ScopeRegistry registry = (SPRING_TEST_PRESENT) ? SpringScopeRegistry.find(context) : null;
        ManagedScopes installed = null;
        if (registry == null) {
            registry = new ScopeRegistry(ScopeRegistry.Subscriber.NONE, settings.registrationSites());
            installed = new ManagedScopes(registry, null);
        }
        context.getStore(NAMESPACE).put(Watch.class, new Watch(registry, installed, Instant.now()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Watch watch = context.getStore(NAMESPACE).remove(Watch.class, Watch.class);
        if (watch == null) {
            return;
        }
        try {
            ManagedScopesAssertions.assertThat(watch.registry())
                .openedSince(watch.since())
                .within(Duration.ofMillis(settings(context).awaitUnwindMillis()))
                .hasNothingOpen();
        }
        finally {
            if (watch.installed() != null) {
                watch.installed().destroy();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ScopeRegistry.class || type == ExitStackListener.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Watch watch = context.getStore(NAMESPACE).get(Watch.class, Watch.class);
        if (watch == null) {
            throw new ParameterResolutionException("No ScopeRegistry to resolve parameter '"
                    + parameter.getParameter() + "': only test methods of a @CheckManagedScopes class receive one");
        }
        return watch.registry();
    }

    private static CheckManagedScopes settings(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), CheckManagedScopes.class)
            .orElseGet(() -> Defaults.class.getAnnotation(CheckManagedScopes.class));
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, ManagedScopesExtension.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** What one test is watched with. */
    private record Watch(ScopeRegistry registry, @Nullable ManagedScopes installed,
            Instant since) {
    }

    /** Carries the defaults for {@code @ExtendWith(ManagedScopesExtension.class)} without the annotation. */
    @CheckManagedScopes
    private static final class Defaults {

    }

}
