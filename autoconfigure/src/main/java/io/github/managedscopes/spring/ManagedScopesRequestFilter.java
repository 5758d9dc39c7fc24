package io.github.managedscopes.spring;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/**
 * Ends each request's scope when the request is really complete: when the dispatch returns
 * for a synchronous request, and when the asynchronous processing completes, times out or
 * errors (a client disconnect included) for an asynchronous one. The scope unwinds with the
 * request's failure in flight: what escaped the handler, else what a handler exception
 * resolver handled, else the asynchronous error.
 * <p>
 * Register it first in the chain, for {@code REQUEST} and {@code ERROR} dispatches. It
 * allocates nothing for a synchronous request that never used its stack.
 */
public final class ManagedScopesRequestFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        }
        catch (IOException | ServletException | RuntimeException | Error ex) {
            failure = ex;
        }
        boolean swallowed = false;
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new Completion(), request, response);
        }
        else {
            swallowed = end(request, failure);
        }
        if (failure != null && !swallowed) {
            throw rethrow(failure);
        }
    }

    /**
     * Ends the request's scope, if it has one.
     * @return whether an exit swallowed {@code failure}
     */
    private static boolean end(ServletRequest request, @Nullable Throwable failure)
            throws IOException, ServletException {
        ActiveScope scope = (ActiveScope) request.getAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE);
        if (scope == null) {
            return false;
        }
        request.removeAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE);
        if (failure == null) {
            Throwable handled = scope.recordedFailure();
            if (handled != null) {
                scope.endAndLog(handled, ScopeEnding.COMPLETED);
                return false;
            }
        }
        try {
            return scope.end(failure, ScopeEnding.COMPLETED);
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
     * Ends the scope of an asynchronous request when its processing completes, recording a
     * time-out or an error on the way.
     */
    private static final class Completion implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            ServletRequest request = event.getSuppliedRequest();
            ActiveScope scope = (ActiveScope) request.getAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE);
            if (scope != null) {
                request.removeAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE);
                scope.endAndLog(scope.recordedFailure(), ScopeEnding.COMPLETED);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            record(event, new AsyncRequestTimeoutException(), ScopeEnding.TIMEOUT);
        }

        @Override
        public void onError(AsyncEvent event) {
            Throwable failure = event.getThrowable();
            record(event, (failure != null) ? failure : new IllegalStateException("Asynchronous processing failed"),
                    ScopeEnding.ERROR);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
        }

        private static void record(AsyncEvent event, Throwable failure, ScopeEnding ending) {
            ActiveScope scope = (ActiveScope) event.getSuppliedRequest()
                .getAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE);
            if (scope != null) {
                scope.recordFailure(failure, ending);
            }
        }

    }

}
