package io.github.managedscopes.spring.reactive;

import io.github.managedscopes.AsyncExitStack;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves a handler method parameter of type {@link AsyncExitStack} to the exchange's stack,
 * opening the exchange's scope (an opened, empty scope is still unwound and sealed). When the
 * integration is switched off, it fails such a parameter with a message that names the
 * parameter and the switch, so that WebFlux never makes an unmanaged stack for it.
 */
public final class AsyncExitStackArgumentResolver implements HandlerMethodArgumentResolver {

    private final @Nullable String switchedOffBy;

    private AsyncExitStackArgumentResolver(@Nullable String switchedOffBy) {
        this.switchedOffBy = switchedOffBy;
    }

    /**
     * A resolver for applications whose exchanges have scopes ({@link ExchangeScopes}).
     * @return the resolver
     */
    public static AsyncExitStackArgumentResolver enabled() {
        return new AsyncExitStackArgumentResolver(null);
    }

    /**
     * A resolver that refuses every {@code AsyncExitStack} parameter.
     * @param property the property that switched the integration off, named in the message
     * @return the resolver
     */
    public static AsyncExitStackArgumentResolver switchedOff(String property) {
        return new AsyncExitStackArgumentResolver(property);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AsyncExitStack.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
            ServerWebExchange exchange) {
        if (this.switchedOffBy != null) {
            return Mono.error(new IllegalStateException("Cannot resolve parameter '" + parameter.getParameterName()
                    + "' of " + parameter.getExecutable().toGenericString() + ": exchange scopes are switched off by "
                    + this.switchedOffBy + "=false. Remove that setting, or make an AsyncExitStack yourself."));
        }
        return Mono.deferContextual((context) -> {
            ExchangeScope scope = ExchangeScope.find(context);
            if (scope == null) {
                return Mono.error(new IllegalStateException("Cannot resolve parameter '"
                        + parameter.getParameterName() + "' of " + parameter.getExecutable().toGenericString()
                        + ": the exchange has no scope. Register ExchangeScopes as a WebFilter bean "
                        + "(the managed-scopes auto-configuration does) or build the HttpHandler with it."));
            }
            return Mono.just(scope.get());
        });
    }

}
