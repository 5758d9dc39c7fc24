package io.github.managedscopes.spring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Applies {@link ManagedScopeInterceptor} to methods annotated with {@link ManagedScope},
 * and to every method of classes annotated with it. Examining a bean's class validates its
 * {@code @ManagedScope} methods, so that misuse fails at start-up.
 */
public final class ManagedScopeAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient ManagedScopeInterceptor interceptor;

    /** The classes examined, each validated once. */
    private final transient Set<Class<?>> validated = ConcurrentHashMap.newKeySet();

    private final transient Pointcut pointcut = new ComposablePointcut(
            new AnnotationMatchingPointcut(ManagedScope.class, true))
        .union(new AnnotationMatchingPointcut(null, ManagedScope.class, true))
        .intersection((ClassFilter) this::validate);

    /**
     * Creates an advisor.
     * @param interceptor the interceptor to apply
     */
    public ManagedScopeAdvisor(ManagedScopeInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    /**
     * Validates a class the first time it is examined, which for a bean is at start-up: every
     * {@code @ManagedScope} method must be one a proxy can intercept, and return what its scope
     * can be kept open for (as every public method of a {@code @ManagedScope} class).
     * @return {@code true}: the annotations decide what matches
     * @throws IllegalStateException naming the first misused method
     */
    private boolean validate(Class<?> targetClass) {
        if (!this.validated.contains(targetClass)) {
            check(ClassUtils.getUserClass(targetClass));
            this.validated.add(targetClass);
        }
        return true;
    }

    private static void check(Class<?> userClass) {
        if (!AnnotationUtils.isCandidateClass(userClass, ManagedScope.class)) {
            return;
        }
        boolean wholeClass = AnnotatedElementUtils.hasAnnotation(userClass, ManagedScope.class);
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass,
                ReflectionUtils.USER_DECLARED_METHODS)) {
            boolean annotated = AnnotatedElementUtils.hasAnnotation(method, ManagedScope.class);
            if (annotated || (wholeClass && Modifier.isPublic(method.getModifiers())
                    && !Modifier.isStatic(method.getModifiers()))) {
                String culprit = "@ManagedScope method '" + userClass.getName() + "." + method.getName() + "'";
                if (annotated) {
                    ProxyReach.check(method, userClass, culprit, "it would never run in a scope of its own");
                }
                ResultKind.of(method, culprit);
            }
        }
    }

    @Override
    public Pointcut getPointcut() {
        return this.pointcut;
    }

    @Override
    public Advice getAdvice() {
        return this.interceptor;
    }

}
