package io.github.managedscopes.spring;

import io.github.managedscopes.ExitStack;
import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.TargetSource;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The scopes of servlet requests: each request's scope is opened the first time its stack is
 * used, kept in a request attribute with the {@link RequestScopeLifecycle} that ends it exactly
 * once (see {@link RequestScopeEnd} for the signals). A request that never uses its stack gets
 * no scope at all.
 */
public final class ServletRequestScopes implements RequestScopeSource {

    /**
     * The request attribute holding the lifecycle of the request's scope. Once the synchronous
     * dispatch ended the scope it may still hold it, and a scope so ended counts as none.
     */
    public static final String SCOPE_ATTRIBUTE = ServletRequestScopes.class.getName() + ".SCOPE";

    static final String DESCRIPTION = "the request scope";

    private final ScopeListener listener;

    private final RequestScopeDeadlines deadlines;

    private final RequestScopeEndListener endListener;

    /**
     * Creates the request scopes, without a deadline.
     * @param listener what they report to
     */
    public ServletRequestScopes(ScopeListener listener) {
        this(listener, RequestScopeDeadlines.none(), RequestScopeEndListener.NONE);
    }

    /**
     * Creates the request scopes.
     * @param listener what they report to
     * @param deadlines the deadline of each scope that outlives its first dispatch
     * @param endListener told how each scope ended
     */
    public ServletRequestScopes(ScopeListener listener, RequestScopeDeadlines deadlines,
            RequestScopeEndListener endListener) {
        this.listener = listener;
        this.deadlines = deadlines;
        this.endListener = endListener;
    }

    @Override
    public @Nullable ActiveScope requestScope(boolean create) {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes == null) {
            return null;
        }
        ServletRequest request = (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
        if (request != null) {
            RequestScopeLifecycle opened = ManagedScopesRequestFilter.openedInDispatch(request);
            if (opened != null) {
                return opened.scope();
            }
        }
        RequestScopeLifecycle lifecycle = RequestScopeLifecycle.of(attributes);
        if (lifecycle != null || !create) {
            return (lifecycle != null) ? lifecycle.scope() : null;
        }
        Object mutex = (request != null) ? request : attributes;
        synchronized (mutex) {
            lifecycle = RequestScopeLifecycle.of(attributes);
            if (lifecycle == null) {
                // Opened outside the filter's dispatch, nothing but the garbage collector may end it.
                boolean framed = request != null && ManagedScopesRequestFilter.isDispatching(request);
                lifecycle = new RequestScopeLifecycle(
                        new ActiveScope(ManagedScopes.REQUEST, DESCRIPTION, this.listener, null, framed),
                        this.deadlines, this.endListener);
                attributes.setAttribute(SCOPE_ATTRIBUTE, lifecycle, RequestAttributes.SCOPE_REQUEST);
                if (framed) {
                    ManagedScopesRequestFilter.openedInDispatch(lifecycle);
                }
            }
            return lifecycle.scope();
        }
    }

    /**
     * A proxy that stands for the stack of the request being handled at each call: the bean
     * users inject as {@code ExitStack}.
     * @param classLoader the class loader to define the proxy class in
     * @return the proxy
     */
    public ExitStack requestStackProxy(@Nullable ClassLoader classLoader) {
        ProxyFactory factory = new ProxyFactory();
        factory.setTargetSource(new RequestStackTargetSource());
        factory.setProxyTargetClass(true);
        return (ExitStack) factory.getProxy(classLoader);
    }

    /**
     * Resolves the request's stack at each call: through a scope propagated to this thread,
     * else through the request bound to it.
     */
    private final class RequestStackTargetSource implements TargetSource {

        @Override
        public Class<?> getTargetClass() {
            return ExitStack.class;
        }

        @Override
        public boolean isStatic() {
            return false;
        }

        @Override
        public Object getTarget() {
            ActiveScope scope = ManagedScopes.threadScope(ManagedScopes.REQUEST);
            if (scope == null) {
                scope = requestScope(true);
            }
            if (scope == null) {
                // Refuses what it is given, closing it, rather than letting it leak.
                return ExitStack.refusing("No request is being handled on thread '"
                        + Thread.currentThread().getName() + "', so there is no request ExitStack to use. Use the "
                        + "injected ExitStack only while a request is handled (take ManagedScopes.lease() for "
                        + "work that outlives it), or ManagedScopes.current() inside ManagedScopes.run(...) or a "
                        + "@ManagedScope method.");
            }
            return scope.stack();
        }

    }

}
