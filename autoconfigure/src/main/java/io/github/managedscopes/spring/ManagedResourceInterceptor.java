package io.github.managedscopes.spring;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.managedscopes.AsyncCloseable;
import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.ThrowingRunnable;
import io.github.managedscopes.spring.reactive.ReactiveResources;
import io.github.managedscopes.SuppressionReason;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.util.function.SingletonSupplier;

/**
 * Registers what a {@link ManagedResource} method returns on the innermost active scope, or,
 * for {@code closeAt = TRANSACTION_END}, on the current transaction. Works without spring-tx
 * on the classpath: only the {@code TRANSACTION_END} path loads the class that uses it.
 */
public final class ManagedResourceInterceptor implements MethodInterceptor {

    private static final Logger logger = LoggerFactory.getLogger(ManagedResourceInterceptor.class);

    private final ManagedResourceAttributeSource attributes;

    private final SingletonSupplier<ExitStackListener> listener;

    private final SingletonSupplier<Optional<Level>> suppressedLevel;

    /**
     * Creates an interceptor.
     * @param attributes where to find each method's attribute
     * @param listener supplies what to report swallowed close failures to, on first use
     * @param suppressedLevel supplies, on first use, the level to log swallowed close failures at, or
     * {@code null} not to log them
     */
    public ManagedResourceInterceptor(ManagedResourceAttributeSource attributes, Supplier<ExitStackListener> listener,
            Supplier<@Nullable Level> suppressedLevel) {
        this.attributes = attributes;
        this.listener = SingletonSupplier.of(listener);
        this.suppressedLevel = SingletonSupplier.of(() -> Optional.ofNullable(suppressedLevel.get()));
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object result = invocation.proceed();
        if (result == null) {
            return null;
        }
        Object target = invocation.getThis();
        ManagedResourceAttribute attribute = this.attributes.attributeOfCall(invocation.getMethod(),
                // the invocation's target is the bean itself, not a proxy: its class needs no unwrapping
                // (the attribute source maps a CGLIB subclass to its user class when it computes)
                (target != null) ? target.getClass() : null);
        if (attribute == null) {
            return result;
        }
        return switch (attribute.result()) {
            case VALUE -> {
                register(attribute, result);
                yield result;
            }
            case STAGE -> registerOnArrival(attribute, (CompletionStage<?>) result);
            default -> {
                ActiveScope scope = ManagedScopes.scopeToRegisterOn();
                yield ReactiveResources.registerOnArrival(result,
                        (stack, value) -> registerArrived(attribute, value, stack, scope));
            }
        };
    }

    private void register(ManagedResourceAttribute attribute, Object result) throws Exception {
        if (attribute.closeAt() == CloseAt.TRANSACTION_END) {
            AutoCloseable closeable = closeable(attribute, result);
            // TransactionCompletion is the only spring-tx user here: loaded on this path alone,
            // which the attribute source admits only when spring-tx is present.
            if (!TransactionCompletion.closeAtEnd(closeable, attribute.name(), this.listener.obtain())) {
                throw closedAtOnce(closeable::close, "@ManagedResource(closeAt = TRANSACTION_END) method '"
                        + attribute.method() + "' was called outside any transaction, so what it returned was "
                        + "closed at once. Call it from a @Transactional method or a TransactionTemplate callback, "
                        + "or use closeAt = CloseAt.SCOPE_END.");
            }
            return;
        }
        registerArrived(attribute, result, null, ManagedScopes.scopeToRegisterOn());
    }

    /**
     * Registers a {@code CompletionStage} method's value when it arrives, on the scope that
     * was current at the call.
     * @return a stage completed with the value once it is registered, or with the reason it
     * could not be (it was closed then)
     */
    private CompletionStage<@Nullable Object> registerOnArrival(ManagedResourceAttribute attribute,
            CompletionStage<?> stage) {
        ActiveScope scope = ManagedScopes.scopeToRegisterOn();
        CompletableFuture<@Nullable Object> registered = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                registered.completeExceptionally(StageScope.unwrap(failure));
                return;
            }
            try {
                if (value != null) {
                    registerArrived(attribute, value, null, scope);
                }
                registered.complete(value);
            }
            catch (Throwable ex) {
                registered.completeExceptionally(ex);
            }
        });
        return registered;
    }

    /**
     * Registers a value on an asynchronous scope's stack if there is one, else on the scope
     * of the calling thread.
     */
    private void registerArrived(ManagedResourceAttribute attribute, Object value, @Nullable AsyncExitStack stack,
            @Nullable ActiveScope scope) throws Exception {
        if (stack != null) {
            if (!attribute.adapted() && value instanceof AsyncCloseable asyncCloseable) {
                stack.registerAsync(asyncCloseable, attribute.name());
            }
            else {
                stack.register(closeable(attribute, value), attribute.name());
            }
            return;
        }
        if (!attribute.adapted() && !(value instanceof AutoCloseable)) {
            throw closedAtOnce(((AsyncCloseable) value)::closeAsync, "@ManagedResource method '"
                    + attribute.method() + "' returned an AsyncCloseable outside any scope whose stack is asynchronous, "
                    + "so its closeAsync() was called at once: only a WebFlux exchange or a @ManagedScope method "
                    + "returning Mono or Flux can await it. Call it from such a pipeline, or return an AutoCloseable.");
        }
        AutoCloseable closeable = closeable(attribute, value);
        if (scope == null) {
            throw closedAtOnce(closeable::close, ManagedScopes.noScope("@ManagedResource method '"
                    + attribute.method() + "' was called outside any managed scope on thread '"
                    + Thread.currentThread().getName() + "', so what it returned was closed at once. Call it "
                    + "during a servlet request, from a @ManagedScope method, or inside ManagedScopes.run(...)",
                    "declare the method to return Mono<R>, which registers what it emits on that scope"));
        }
        scope.stack().register(closeable, attribute.name());
    }

    private AutoCloseable closeable(ManagedResourceAttribute attribute, Object value) {
        return attribute.adapted() ? new Closer(attribute, value) : (AutoCloseable) value;
    }

    /**
     * Closes what nothing will close later, and returns the failure to throw, carrying any
     * close failure as suppressed.
     */
    private static IllegalStateException closedAtOnce(ThrowingRunnable close, String message) {
        IllegalStateException error = new IllegalStateException(message);
        try {
            close.run();
        }
        catch (Throwable ex) {
            error.addSuppressed(ex);
        }
        return error;
    }

    /**
     * Closes a returned object the way its annotation says: through its close method, and
     * swallowing the failures it names.
     */
    private final class Closer implements AutoCloseable {

        private final ManagedResourceAttribute attribute;

        private final Object resource;

        Closer(ManagedResourceAttribute attribute, Object resource) {
            this.attribute = attribute;
            this.resource = resource;
        }

        @Override
        public void close() throws Exception {
            try {
                if (this.attribute.closeMethod() != null) {
                    try {
                        this.attribute.closeMethod().invoke(this.resource);
                    }
                    catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                }
                else {
                    ((AutoCloseable) this.resource).close();
                }
            }
            catch (Throwable ex) {
                if (!this.attribute.suppress().matches(ex)) {
                    throw Rethrow.asIs(ex);
                }
                swallowed(ex);
            }
        }

        private void swallowed(Throwable failure) {
            Level level = ManagedResourceInterceptor.this.suppressedLevel.obtain().orElse(null);
            if (level != null) {
                logger.atLevel(level)
                    .setCause(failure)
                    .log("Swallowed a close failure of '{}' as @ManagedResource(suppress = ...) of '{}' asks",
                            this.attribute.name(), this.attribute.method());
            }
            ManagedResourceInterceptor.this.listener.obtain()
                .exceptionSuppressed(this.attribute.name(), failure, SuppressionReason.SWALLOWED);
        }


    }

}
