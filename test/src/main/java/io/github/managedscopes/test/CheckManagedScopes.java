package io.github.managedscopes.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test of the annotated class that leaves a managed resource open or a managed
 * scope active when it ends, naming each of them, its scope and where it was registered.
 * See {@link ManagedScopesExtension} for what is watched in plain tests and in
 * {@code @SpringBootTest} tests.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ManagedScopesExtension.class)
public @interface CheckManagedScopes {

    /**
     * How long to wait, after the test, for scopes still unwinding (a request whose response
     * the test has read while the server still unwinds its scope, work on other threads) before
     * judging what is left open.
     * @return the time in milliseconds
     */
    long awaitUnwindMillis() default 5000;

    /**
     * Whether a plain test (without a Spring application context) captures where each resource
     * is registered, to name it in the failure. A Spring application captures them while
     * {@code managed-scopes.leak-detection.threshold} is set.
     * @return whether to capture registration sites
     */
    boolean registrationSites() default true;

}
