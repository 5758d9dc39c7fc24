package io.github.managedscopes.benchmarks;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.spring.ManagedResource;
import io.github.managedscopes.spring.ManagedResourceAdvisor;
import io.github.managedscopes.spring.ManagedResourceAttributeSource;
import io.github.managedscopes.spring.ManagedResourceInterceptor;
import org.aopalliance.intercept.MethodInterceptor;
import org.slf4j.event.Level;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Proxies built the way Spring's infrastructure auto-proxy creator builds them for the
 * starter: a {@link ProxyFactory} holding the target and the advisors that apply to its
 * class, pre-filtered and not frozen; a JDK proxy for the interface, or a CGLIB subclass.
 */
final class Proxies {

    /** A method interceptor that only proceeds. */
    static final MethodInterceptor NO_OP = (invocation) -> invocation.proceed();

    private Proxies() {
    }

    /**
     * The advisor of {@code @ManagedResource}, as {@code ManagedScopesAutoConfiguration} builds
     * it for an application with no {@code ExitStackListener} bean and default properties.
     */
    static ManagedResourceAdvisor managedResourceAdvisor() {
        ManagedResourceAttributeSource attributes = new ManagedResourceAttributeSource(
                Proxies.class.getClassLoader());
        return new ManagedResourceAdvisor(attributes,
                new ManagedResourceInterceptor(attributes, () -> ExitStackListener.NONE, () -> Level.WARN));
    }

    /**
     * An advisor that applies {@link #NO_OP} to the same methods as the {@code @ManagedResource}
     * advisor.
     */
    static Advisor noOpAdvisor() {
        return new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(ManagedResource.class),
                NO_OP);
    }

    /**
     * A proxy of {@code target}.
     * @param classProxy {@code true} for a CGLIB subclass, {@code false} for a JDK proxy of
     * {@link LockOpener}
     */
    static LockOpener proxy(AnnotatedLockOpener target, Advisor advisor, boolean classProxy) {
        if (!AopUtils.canApply(advisor, target.getClass())) {
            throw new IllegalStateException("The advisor " + advisor + " does not apply to " + target.getClass());
        }
        ProxyFactory factory = new ProxyFactory();
        factory.setTarget(target);
        if (classProxy) {
            factory.setProxyTargetClass(true);
        }
        else {
            factory.addInterface(LockOpener.class);
        }
        factory.addAdvisor(advisor);
        factory.setPreFiltered(true);
        LockOpener proxy = (LockOpener) factory.getProxy(Proxies.class.getClassLoader());
        if (AopUtils.isCglibProxy(proxy) != classProxy) {
            throw new IllegalStateException("Expected a " + (classProxy ? "CGLIB" : "JDK") + " proxy: " + proxy);
        }
        return proxy;
    }

}
