package io.github.managedscopes.spring.reactive;

import java.util.function.Supplier;

import io.github.managedscopes.AsyncExitStack;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Where a reactive pipeline finds its scope: the Reactor {@link Context} carries the
 * innermost scope's {@link AsyncExitStack} (a WebFlux exchange's, or a {@code @ManagedScope}
 * method's), never a {@code ThreadLocal}, which does not follow a pipeline across operators.
 * What the context holds is a supplier, so that an exchange's stack is created only when
 * something first asks for it.
 */
public final class ReactiveScopes {

    private static final Object KEY = ReactiveScopes.class.getName() + ".STACK";

    private ReactiveScopes() {
    }

    /**
     * The stack of the innermost scope the pipeline runs in, created if it had not been yet.
     * @param context the subscriber's context
     * @return the stack, or {@code null} if the pipeline runs in no scope
     */
    public static @Nullable AsyncExitStack currentStack(ContextView context) {
        Supplier<AsyncExitStack> scope = context.getOrDefault(KEY, null);
        return (scope != null) ? scope.get() : null;
    }

    /**
     * What supplies the stack of the innermost scope the pipeline runs in, without creating
     * the stack: lets the exchange scope find itself.
     * @param context the subscriber's context
     * @return the supplier, or {@code null} if the pipeline runs in no scope
     */
    static @Nullable Supplier<AsyncExitStack> innermostScope(ContextView context) {
        return context.getOrDefault(KEY, null);
    }

    /**
     * A context in which the innermost scope is the one {@code stack} supplies.
     * @param context the context to extend
     * @param stack supplies the scope's stack; called each time it is looked up, so it
     * creates the stack at most once itself
     * @return the extended context
     */
    public static Context withStack(Context context, Supplier<AsyncExitStack> stack) {
        return context.put(KEY, stack);
    }

}
