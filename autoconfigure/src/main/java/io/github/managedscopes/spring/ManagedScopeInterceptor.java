package io.github.managedscopes.spring;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

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

    private final Map<Method, String> descriptions = new ConcurrentHashMap<>();

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
        String description = this.descriptions.get(method);
        if (description == null) {
            description = this.descriptions.computeIfAbsent(method, (key) -> "the scope of @ManagedScope method '"
                    + ClassUtils.getUserClass(key.getDeclaringClass()).getSimpleName() + "." + key.getName() + "'");
        }
        return this.scopes.obtain()
            .execute(ManagedScopes.METHOD, description, invocation::proceed, method.getReturnType().isPrimitive());
    }

}
