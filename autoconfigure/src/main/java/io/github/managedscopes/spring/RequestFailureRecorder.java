package io.github.managedscopes.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Records the exception a handler threw on the request's scope, before any resolver handles
 * it, so that the scope unwinds with it in flight even when it became an error response.
 * Resolves nothing itself.
 */
public final class RequestFailureRecorder implements HandlerExceptionResolver, Ordered {

    @Override
    public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
            @Nullable Object handler, Exception ex) {
        RequestScopeLifecycle lifecycle = RequestScopeLifecycle.of(request);
        if (lifecycle != null) {
            lifecycle.record(ex);
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
