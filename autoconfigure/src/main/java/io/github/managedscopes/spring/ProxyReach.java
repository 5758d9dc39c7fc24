package io.github.managedscopes.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.springframework.util.ClassUtils;

/**
 * Whether a proxy can intercept the calls of an annotated method: the start-up check the
 * advisors share, so that an annotation no proxy can apply fails there instead of being
 * ignored at every call.
 */
final class ProxyReach {

    private ProxyReach() {
    }

    /**
     * Fails if no proxy can intercept calls of {@code method}: a class proxy cannot override a
     * private, static or final method, and an interface proxy sees only interface methods (so
     * a final method that implements one is left to Spring's own warning).
     * @param method the annotated method
     * @param userClass the class it was found on
     * @param culprit the annotated method as messages name it
     * @param consequence what ignoring the annotation would mean
     * @throws IllegalStateException naming the method and the fix
     */
    static void check(Method method, Class<?> userClass, String culprit, String consequence) {
        int modifiers = method.getModifiers();
        String why = null;
        if (Modifier.isPrivate(modifiers)) {
            why = "private";
        }
        else if (Modifier.isStatic(modifiers)) {
            why = "static";
        }
        else if (Modifier.isFinal(modifiers) && ClassUtils.getInterfaceMethodIfPossible(method, userClass) == method) {
            why = "final";
        }
        if (why != null) {
            throw new IllegalStateException(culprit + " is " + why + ", so no proxy can intercept its calls: "
                    + consequence + " (Spring AOP advises only methods a proxy can override, as for @Transactional). "
                    + "Make it public or protected and neither static nor final, or remove the annotation.");
        }
    }

}
