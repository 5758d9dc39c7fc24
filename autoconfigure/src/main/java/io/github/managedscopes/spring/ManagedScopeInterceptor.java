package io.github.managedscopes.spring;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.managedscopes.spring.reactive.ReactiveMethodScopes;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs a {@link ManagedScope} method in a scope of its own.
 */
public final class ManagedScopeInterceptor implements MethodInterceptor {

    private final SingletonSupplier<ManagedScopes> scopes;

    private final Map<Method, ScopedMethod> methods = new ConcurrentHashMap<>();

    /**
     * Creates an interceptor that opens scopes with the given {@link ManagedScopes}.
     * @param scopes supplies the application's scopes, on first use
     */
    public ManagedScopeInterceptor(Supplier<ManagedScopes> scopes) {
        this.scopes = SingletonSupplier.of(scopes);
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        ScopedMethod cached = this.methods.get(method);
        ScopedMethod scoped = (cached != null) ? cached : this.methods.computeIfAbsent(method, ScopedMethod::of);
        ManagedScopes scopes = this.scopes.obtain();
        return switch (scoped.result()) {
            case VALUE -> scopes.execute(ManagedScopes.METHOD, scoped.description(), invocation::proceed,
                    method.getReturnType().isPrimitive());
            case STAGE -> scopes.executeStage(scoped.description(),
                    () -> (CompletionStage<?>) invocation.proceed());
            case MONO, FLUX -> {
                Object result = invocation.proceed();
                yield (result != null) ? ReactiveMethodScopes.scoped(result, scoped.result() == ResultKind.MONO,
                        scoped.name(), () -> scopes.openAsync(ManagedScopes.METHOD, scoped.description())) : null;
            }
        };
    }

    /**
     * A {@code @ManagedScope} method: how its scope is described, and what it returns.
     */
    private record ScopedMethod(String name, String description, ResultKind result) {

        static ScopedMethod of(Method method) {
            String name = "@ManagedScope method '" + ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName()
                    + "." + method.getName() + "'";
            return new ScopedMethod(name, "the scope of " + name, ResultKind.of(method, name));
        }

    }

}
