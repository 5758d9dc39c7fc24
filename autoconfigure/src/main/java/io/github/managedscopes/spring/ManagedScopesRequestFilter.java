package io.github.managedscopes.spring;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/**
 * Hands each request's scope the signals of the servlet container: the end of a synchronous
 * dispatch, the start of asynchronous processing, and the container's complete, error and
 * time-out notifications. {@link RequestScopeLifecycle} decides what they mean and ends the
 * scope exactly once, with the request's failure in flight: what escaped the handler, else
 * what a handler exception resolver handled, else the asynchronous error.
 * <p>
 * Register it first in the chain, for {@code REQUEST} and {@code ERROR} dispatches. It
 * allocates nothing for a synchronous request that never used its stack.
 * <p>
 * While it dispatches a request on a thread, a scope that request opens on that thread is
 * sure to be ended by it, after the dispatch or at an asynchronous signal it listens to: such
 * a scope is {@linkplain ActiveScope#escaped() watched} for abandonment only once it outlives
 * the dispatch.
 */
public final class ManagedScopesRequestFilter implements Filter {

    /** What this filter dispatches on each thread; one record per thread, reused by every request. */
    private static final ThreadLocal<@Nullable Dispatch> DISPATCH = new ThreadLocal<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Dispatch dispatch = DISPATCH.get();
        if (dispatch == null) {
            dispatch = new Dispatch();
            DISPATCH.set(dispatch);
        }
        ServletRequest outerRequest = dispatch.request;
        RequestScopeLifecycle outerLifecycle = dispatch.lifecycle;
        dispatch.request = request;
        dispatch.lifecycle = null;
        Throwable failure = null;
        RequestScopeLifecycle lifecycle;
        try {
            chain.doFilter(request, response);
        }
        catch (IOException | ServletException | RuntimeException | Error ex) {
            failure = ex;
        }
        finally {
            lifecycle = dispatch.lifecycle;
            dispatch.request = outerRequest;
            dispatch.lifecycle = outerLifecycle;
        }
        if (lifecycle == null) {
            // Another thread may have opened the request's scope: its attribute tells.
            lifecycle = RequestScopeLifecycle.of(request);
        }
        boolean swallowed = false;
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new Completion(), request, response);
            if (lifecycle != null) {
                lifecycle.asyncStarted(describe(request));
            }
        }
        else if (lifecycle != null) {
            // The attribute stays: once ended this way, it counts as none (RequestScopeLifecycle.of).
            swallowed = end(lifecycle, failure);
        }
        if (failure != null && !swallowed) {
            throw rethrow(failure);
        }
    }

    /**
     * Whether this filter is dispatching {@code request} (or the request it wraps) on the
     * current thread, and so ends the scope that request opens now.
     */
    static boolean isDispatching(ServletRequest request) {
        Dispatch dispatch = DISPATCH.get();
        return dispatch != null && dispatch.isOf(request);
    }

    /**
     * The lifecycle of the scope that {@code request} opened on this thread during the
     * dispatch in progress, found without a look at the request's attributes.
     * @return the lifecycle, or {@code null} if this thread opened none for it in the dispatch,
     * or it has ended (a nested dispatch of the same request ends the scope it finds)
     */
    static @Nullable RequestScopeLifecycle openedInDispatch(ServletRequest request) {
        Dispatch dispatch = DISPATCH.get();
        if (dispatch == null) {
            return null;
        }
        RequestScopeLifecycle lifecycle = dispatch.lifecycle;
        return (lifecycle != null && lifecycle.endedBy() == null && dispatch.isOf(request)) ? lifecycle : null;
    }

    /**
     * Records that the request being dispatched on this thread opened its scope, which this
     * filter ends after the dispatch; call only when {@link #isDispatching} is {@code true}.
     */
    @SuppressWarnings("NullAway")
    static void openedInDispatch(RequestScopeLifecycle lifecycle) {
        DISPATCH.get().lifecycle = lifecycle;
    }

    private static String describe(ServletRequest request) {
        return (request instanceof HttpServletRequest http) ? http.getMethod() + " " + http.getRequestURI()
                : "a request";
    }

    /**
     * Ends the scope after a synchronous dispatch.
     * @return whether an exit swallowed {@code failure}
     */
    private static boolean end(RequestScopeLifecycle lifecycle, @Nullable Throwable failure)
            throws IOException, ServletException {
        try {
            return lifecycle.endAfterDispatch(failure);
        }
        catch (IOException | ServletException | RuntimeException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw rethrow(ex);
        }
    }

    private static ServletException rethrow(Throwable failure) throws IOException, ServletException {
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof ServletException servlet) {
            throw servlet;
        }
        throw Rethrow.unchecked(failure);
    }

    /**
     * Passes the container's notifications about an asynchronous request to its scope.
     */
    private static final class Completion implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            ServletRequest request = event.getSuppliedRequest();
            RequestScopeLifecycle lifecycle = RequestScopeLifecycle.of(request);
            if (lifecycle != null) {
                request.removeAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE);
                lifecycle.end(RequestScopeEnd.ASYNC_COMPLETE, null);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            end(event, RequestScopeEnd.ASYNC_TIMEOUT, new AsyncRequestTimeoutException());
        }

        @Override
        public void onError(AsyncEvent event) {
            Throwable failure = event.getThrowable();
            end(event, RequestScopeEnd.ASYNC_ERROR,
                    (failure != null) ? failure : new IllegalStateException("Asynchronous processing failed"));
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
        }

        private static void end(AsyncEvent event, RequestScopeEnd signal, Throwable failure) {
            RequestScopeLifecycle lifecycle = RequestScopeLifecycle.of(event.getSuppliedRequest());
            if (lifecycle != null) {
                lifecycle.end(signal, failure);
            }
        }

    }

    /**
     * The request this filter dispatches on a thread, and the lifecycle of the scope it opened
     * there; saved and restored around nested dispatches, never allocated per request.
     */
    private static final class Dispatch {

        @Nullable ServletRequest request;

        @Nullable RequestScopeLifecycle lifecycle;

        /** Whether {@code candidate} is the dispatched request or wraps it. */
        boolean isOf(ServletRequest candidate) {
            ServletRequest dispatched = this.request;
            if (dispatched == null) {
                return false;
            }
            ServletRequest current = candidate;
            while (current != dispatched) {
                if (!(current instanceof ServletRequestWrapper wrapper)) {
                    return false;
                }
                current = wrapper.getRequest();
            }
            return true;
        }

    }

}
