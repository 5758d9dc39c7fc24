package io.github.managedscopes.spring;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Applies {@link ManagedScopeInterceptor} to methods annotated with {@link ManagedScope},
 * and to every method of classes annotated with it.
 */
public final class ManagedScopeAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient ManagedScopeInterceptor interceptor;

    private final transient Pointcut pointcut = new ComposablePointcut(
            new AnnotationMatchingPointcut(ManagedScope.class, true))
        .union(new AnnotationMatchingPointcut(null, ManagedScope.class, true));

    /**
     * Creates an advisor.
     * @param interceptor the interceptor to apply
     */
    public ManagedScopeAdvisor(ManagedScopeInterceptor interceptor) {
        this.interceptor = interceptor;
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
