package io.github.managedscopes.spring;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies {@link ManagedResourceInterceptor} to {@link ManagedResource} methods, like
 * Spring's advisor for {@code @Transactional}. Examining a bean's class validates every
 * annotated method of it, so that misuse fails at start-up.
 */
public final class ManagedResourceAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient ManagedResourceInterceptor interceptor;

    private final transient Pointcut pointcut;

    /**
     * Creates an advisor.
     * @param attributes where to find each method's attribute
     * @param interceptor the interceptor to apply
     */
    public ManagedResourceAdvisor(ManagedResourceAttributeSource attributes, ManagedResourceInterceptor interceptor) {
        this.interceptor = interceptor;
        this.pointcut = new StaticMethodMatcherPointcut() {

            @Override
            public ClassFilter getClassFilter() {
                return attributes::hasAnnotatedMethods;
            }

            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return attributes.attribute(method, targetClass) != null;
            }

        };
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
