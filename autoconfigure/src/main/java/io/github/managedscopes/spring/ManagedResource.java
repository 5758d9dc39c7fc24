package io.github.managedscopes.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers what the annotated method returns on the innermost active scope, so that
 * callers use it and never close it. The method must return an {@link AutoCloseable}, or
 * name the method that closes what it returns with {@link #closeMethod()}; a {@code null}
 * return is passed through untouched. It must be a method a proxy can intercept: neither
 * private, static nor final, and called through the bean, not from inside it. Misuse fails
 * at application start-up, naming the method.
 * <p>
 * Targets methods only. Spring's JMX annotation of the same simple name,
 * {@code org.springframework.jmx.export.annotation.ManagedResource}, targets types only, so
 * importing the wrong one fails to compile.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ManagedResource {

    /**
     * The name the resource is reported under in metrics (the {@code resource} tag) and the
     * actuator endpoint. Defaults to {@code ClassName.method}.
     * @return the name
     */
    String name() default "";

    /**
     * Close failures of these types are swallowed, logged once with their stack trace and
     * counted; all others propagate, or are attached as suppressed to the failure in flight.
     * @return the types to swallow
     */
    Class<? extends Throwable>[] suppress() default {};

    /**
     * When the resource is closed.
     * @return when to close
     */
    CloseAt closeAt() default CloseAt.SCOPE_END;

    /**
     * The public no-argument method that closes the returned object, for objects that are
     * not {@link AutoCloseable} (or should be closed another way).
     * @return the method name, or empty to call {@link AutoCloseable#close()}
     */
    String closeMethod() default "";

}
