package io.github.managedscopes.spring;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitterReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBodyReturnValueHandler;

/**
 * Gives the end signals of streaming handlers ({@code ResponseBodyEmitter}, {@code SseEmitter},
 * {@code StreamingResponseBody}, and the reactive types streamed through emitters) to the scope
 * of their request: the emitter's completion, error and time-out callbacks, and a write or
 * flush of the response that fails because the client has gone. It decorates Spring MVC's own
 * return value handlers; a request without a scope goes straight to them, untouched.
 * <p>
 * Tomcat can lose the container's notifications of such a request altogether (a write that
 * fails while the first dispatch is still running makes it recycle the request without
 * {@code onComplete}; see the project's RELIABILITY.md), so the failed write, which reaches
 * the producer of the stream and makes it stop, is the signal the scope can rely on.
 */
public final class StreamingResponseObserver implements HandlerMethodReturnValueHandler {

    private final HandlerMethodReturnValueHandler delegate;

    private StreamingResponseObserver(HandlerMethodReturnValueHandler delegate) {
        this.delegate = delegate;
    }

    /**
     * Decorates the streaming return value handlers of {@code adapter}.
     * @param adapter an initialized handler adapter
     */
    public static void install(RequestMappingHandlerAdapter adapter) {
        List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
        if (handlers == null) {
            return;
        }
        List<HandlerMethodReturnValueHandler> decorated = new ArrayList<>(handlers.size());
        boolean changed = false;
        for (HandlerMethodReturnValueHandler handler : handlers) {
            if (handler instanceof ResponseBodyEmitterReturnValueHandler
                    || handler instanceof StreamingResponseBodyReturnValueHandler) {
                decorated.add(new StreamingResponseObserver(handler));
                changed = true;
            }
            else {
                decorated.add(handler);
            }
        }
        if (changed) {
            adapter.setReturnValueHandlers(decorated);
        }
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return this.delegate.supportsReturnType(returnType);
    }

    @Override
    public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType,
            ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
        RequestScopeLifecycle lifecycle = RequestScopeLifecycle.of(webRequest);
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        if (lifecycle == null || returnValue == null || request == null || response == null) {
            this.delegate.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
            return;
        }
        Object body = (returnValue instanceof ResponseEntity<?> entity) ? entity.getBody() : returnValue;
        Object observed = returnValue;
        if (body instanceof ResponseBodyEmitter emitter) {
            emitter.onCompletion(() -> lifecycle.end(RequestScopeEnd.EMITTER_COMPLETE, null));
            emitter.onError((failure) -> lifecycle.end(RequestScopeEnd.EMITTER_ERROR, failure));
            emitter.onTimeout(
                    () -> lifecycle.end(RequestScopeEnd.EMITTER_TIMEOUT, new AsyncRequestTimeoutException()));
        }
        else if (body instanceof StreamingResponseBody streaming) {
            StreamingResponseBody watched = (out) -> {
                if (!lifecycle.producerRuns()) {
                    throw new AsyncRequestNotUsableException("The request failed before its StreamingResponseBody "
                            + "started, so the body does not run (its request scope has ended)");
                }
                Throwable failure = null;
                try {
                    streaming.writeTo(out);
                }
                catch (Throwable ex) {
                    failure = ex;
                    throw ex;
                }
                finally {
                    lifecycle.end(RequestScopeEnd.STREAM_RETURNED, failure);
                }
            };
            observed = (returnValue instanceof ResponseEntity<?> entity)
                    ? new ResponseEntity<>(watched, entity.getHeaders(), entity.getStatusCode()) : watched;
        }
        if (body instanceof StreamingResponseBody) {
            lifecycle.producerQueued();
        }
        else {
            lifecycle.producerStarted();
        }
        ObservedResponse observedResponse = new ObservedResponse(response, lifecycle);
        observedResponse.handling(Thread.currentThread());
        try {
            this.delegate.handleReturnValue(observed, returnType, mavContainer,
                    new ServletWebRequest(request, observedResponse));
        }
        catch (Exception | Error ex) {
            if (!(body instanceof ResponseBodyEmitter)) {
                lifecycle.producerNeverStarted();
            }
            throw ex;
        }
        finally {
            observedResponse.handling(null);
        }
    }

}
