package io.github.managedscopes.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method (or every public method of the annotated class) inside a scope
 * of its own, nested in the current one. Its stack unwinds when the method returns or
 * throws, with that failure in flight: what the method, or anything it calls, registered on
 * {@link ManagedScopes#current()} is closed then. Made for scheduled jobs, message listeners
 * and other work that has no request.
 * <p>
 * If an exit swallows the method's failure, the method returns {@code null}; a method with a
 * primitive return type has no such value and rethrows the failure instead.
 * <p>
 * It is applied by a proxy, so the method must be one a proxy can intercept (neither private,
 * static nor final) and be called through the bean. Misuse fails at application start-up,
 * naming the method.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ManagedScope {

}
