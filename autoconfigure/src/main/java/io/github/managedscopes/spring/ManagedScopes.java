package io.github.managedscopes.spring;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ThrowingRunnable;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Access to the innermost active scope, and scopes opened for the duration of a call: for
 * jobs, listeners, command-line runners and tests. The static methods work in any code; the
 * application context's instance (a bean) decides what they report to and where they find
 * the current request's scope, from its start until it closes.
 * <p>
 * Scopes nest per thread: the innermost one is the latest {@code @ManagedScope} method or
 * {@link #run}/{@link #call} still running on this thread, else the scope propagated to this
 * thread by context propagation, else the scope of the request bound to this thread.
 */
public final class ManagedScopes implements DisposableBean {

    static final String METHOD = "method";

    static final String PROGRAMMATIC = "programmatic";

    static final String REQUEST = "request";

    private static final ThreadLocal<@Nullable ActiveScope> CURRENT = new ThreadLocal<>();

    private static final ManagedScopes DEFAULTS = new ManagedScopes(ScopeListener.NONE, null, null, false);

    private static volatile ManagedScopes installed = DEFAULTS;

    private final ScopeListener listener;

    private final @Nullable RequestScopeSource requestScopes;

    private final @Nullable Duration closeTimeout;

    /**
     * The instance this one replaced for the static methods, given back to them when this one
     * is destroyed; weak, so that a closed application context's instance is not retained.
     */
    private final @Nullable WeakReference<ManagedScopes> replaced;

    private volatile boolean destroyed;

    /**
     * Creates the application's scopes and makes the static methods use them.
     * @param listener what scopes report to (see {@link ManagedScopesListeners#scopes()})
     * @param requestScopes where to find the current request's scope, or {@code null}
     */
    public ManagedScopes(ScopeListener listener, @Nullable RequestScopeSource requestScopes) {
        this(listener, requestScopes, null, true);
    }

    /**
     * Creates the application's scopes and makes the static methods use them.
     * @param listener what scopes report to
     * @param requestScopes where to find the current request's scope, or {@code null}
     * @param closeTimeout the close time-out of each asynchronous entry of scopes whose stack
     * is an {@link io.github.managedscopes.AsyncExitStack}, or {@code null} for none
     */
    public ManagedScopes(ScopeListener listener, @Nullable RequestScopeSource requestScopes,
            @Nullable Duration closeTimeout) {
        this(listener, requestScopes, closeTimeout, true);
    }

    private ManagedScopes(ScopeListener listener, @Nullable RequestScopeSource requestScopes,
            @Nullable Duration closeTimeout, boolean install) {
        this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
        this.requestScopes = requestScopes;
        this.closeTimeout = closeTimeout;
        if (install) {
            synchronized (ManagedScopes.class) {
                this.replaced = new WeakReference<>(installed);
                installed = this;
            }
        }
        else {
            this.replaced = null;
        }
    }

    /**
     * Opens a scope whose stack is an {@link io.github.managedscopes.AsyncExitStack}, with this
     * application's listeners and close time-out; its owner ends it.
     * @param kind the kind of scope ({@code request}, {@code method})
     * @param description what it is, for messages
     * @return the open scope
     */
    public AsyncScope openAsync(String kind, String description) {
        return new AsyncScope(kind, description, this.listener, this.closeTimeout);
    }

    /**
     * The stack of the innermost active scope.
     * @return the stack
     * @throws IllegalStateException if no scope is active on this thread
     */
    public static ExitStack current() {
        return currentScope().stack();
    }

    /**
     * Keeps the innermost active scope open until the returned lease is closed: take one
     * before handing work to another thread, and close it when that work ends.
     * @return the lease
     * @throws IllegalStateException if no scope is active on this thread
     */
    public static Lease lease() {
        return currentScope().lease();
    }

    /**
     * Runs {@code action} in a scope of its own, nested in the current one, and unwinds that
     * scope when it returns or throws, with its failure in flight.
     * @param action the action
     * @throws Exception what {@code action} threw (unless an exit swallowed it), or a close failure
     */
    public static void run(ThrowingRunnable action) throws Exception {
        Objects.requireNonNull(action, "'action' must not be null");
        installed.execute(PROGRAMMATIC, "a ManagedScopes.run(...) scope", () -> {
            action.run();
            return null;
        }, false);
    }

    /**
     * Calls {@code action} in a scope of its own, nested in the current one, and unwinds that
     * scope when it returns or throws, with its failure in flight.
     * @param action the action
     * @param <T> the type of the result
     * @return what {@code action} returned, or {@code null} if an exit swallowed its failure
     * @throws Exception what {@code action} threw (unless an exit swallowed it), or a close failure
     */
    public static <T> @Nullable T call(Callable<T> action) throws Exception {
        Objects.requireNonNull(action, "'action' must not be null");
        return installed.execute(PROGRAMMATIC, "a ManagedScopes.call(...) scope", action::call, false);
    }

    /**
     * The scope that registrations on this thread go to, as {@link #scopeToRegisterOn()}.
     * @throws IllegalStateException if there is none
     */
    static ActiveScope currentScope() {
        ActiveScope scope = scopeToRegisterOn();
        if (scope == null) {
            throw new IllegalStateException(noScope("No managed scope is active on thread '"
                    + Thread.currentThread().getName()
                    + "'; call ManagedScopes.run(...) or annotate the method with @ManagedScope",
                    "take the handler's AsyncExitStack parameter or ReactiveScopes.currentStack(context)"));
        }
        return scope;
    }

    /**
     * The message of a failure to find a scope on this thread: {@code message}, then where the
     * scope of a reactive pipeline is instead, so that a WebFlux handler or a
     * {@code @ManagedScope} method returning {@code Mono} or {@code Flux} is not only told to
     * open a scope it already has.
     * @param message what was not found, and how to open a scope on the thread
     * @param reactiveRemedy what to do in a reactive pipeline
     */
    static String noScope(String message, String reactiveRemedy) {
        return message + ". In a reactive pipeline (a WebFlux exchange, a @ManagedScope method returning Mono or "
                + "Flux) the scope lives in the Reactor context, not on a thread: " + reactiveRemedy + ".";
    }

    /**
     * The scope that registrations on this thread go to: the innermost active one, else the
     * scope of the request bound to this thread, <em>opened now</em> if the request has none
     * yet (a registration is the first use of the request's stack).
     * @return the scope, or {@code null} if no scope is active and no request is bound
     */
    static @Nullable ActiveScope scopeToRegisterOn() {
        return innermost(true);
    }

    /**
     * The innermost scope that is already open, never opening one: the thread's own, else the
     * bound request's if it has one.
     * @return the scope, or {@code null}
     */
    static @Nullable ActiveScope scopeAlreadyOpen() {
        return innermost(false);
    }

    /** The one lookup behind the two above. */
    private static @Nullable ActiveScope innermost(boolean openRequestScope) {
        ActiveScope scope = CURRENT.get();
        if (scope != null) {
            return scope;
        }
        RequestScopeSource source = installed.requestScopes;
        return (source != null) ? source.requestScope(openRequestScope) : null;
    }

    /**
     * The innermost scope of the given kind among the scopes running on this thread (its own
     * and those propagated to it), without looking at the bound request.
     * @return the scope, or {@code null}
     */
    static @Nullable ActiveScope threadScope(String kind) {
        for (ActiveScope scope = CURRENT.get(); scope != null; scope = scope.parent()) {
            if (kind.equals(scope.kind())) {
                return scope;
            }
        }
        return null;
    }

    static void setThreadScope(@Nullable ActiveScope scope) {
        CURRENT.set(scope);
    }

    /**
     * Runs {@code body} in a new scope nested in the current one.
     * @param valueRequired whether a failure swallowed by an exit must still be thrown,
     * because the caller cannot take {@code null} for a value
     */
    <T> @Nullable T execute(String kind, String description, ScopeBody<T> body, boolean valueRequired)
            throws Exception {
        ActiveScope parent = CURRENT.get();
        ActiveScope scope = new ActiveScope(kind, description, this.listener, parent, true);
        CURRENT.set(scope);
        T result = null;
        Throwable failure = null;
        try {
            result = body.run();
        }
        catch (Throwable ex) {
            failure = ex;
        }
        finally {
            CURRENT.set(parent);
        }
        boolean swallowed = scope.end(failure, (failure != null) ? ScopeEnding.THREW : ScopeEnding.RETURNED);
        if (failure != null && (!swallowed || valueRequired)) {
            throw Rethrow.asIs(failure);
        }
        return result;
    }

    /**
     * Stops the static methods from using this instance: they use again the instance it
     * replaced (an application context's, when a test installed its own meanwhile), unless
     * that one was destroyed too.
     */
    @Override
    public void destroy() {
        this.destroyed = true;
        synchronized (ManagedScopes.class) {
            if (installed == this) {
                ManagedScopes previous = replaced(this);
                while (previous != null && previous.destroyed) {
                    previous = replaced(previous);
                }
                installed = (previous != null) ? previous : DEFAULTS;
            }
        }
    }

    private static @Nullable ManagedScopes replaced(ManagedScopes scopes) {
        return (scopes.replaced != null) ? scopes.replaced.get() : null;
    }

    /**
     * Runs {@code body}, which returns a {@link CompletionStage}, in a new scope nested in the
     * current one, and ends the scope when that stage completes, with its failure in flight.
     * @return a stage completed after the scope has unwound, as {@link StageScope} describes
     */
    @Nullable CompletionStage<?> executeStage(String description, ScopeBody<? extends CompletionStage<?>> body)
            throws Exception {
        ActiveScope parent = CURRENT.get();
        ActiveScope scope = new ActiveScope(METHOD, description, this.listener, parent, true);
        CURRENT.set(scope);
        CompletionStage<?> stage;
        try {
            stage = body.run();
        }
        catch (Throwable ex) {
            CURRENT.set(parent);
            if (!scope.end(ex, ScopeEnding.THREW)) {
                throw Rethrow.asIs(ex);
            }
            return CompletableFuture.completedFuture(null);
        }
        CURRENT.set(parent);
        if (stage == null) {
            scope.end(null, ScopeEnding.RETURNED);
            return null;
        }
        scope.escaped();
        return StageScope.endWhenComplete(scope, stage);
    }

    /**
     * The body of a scope.
     */
    @FunctionalInterface
    interface ScopeBody<T> {

        @Nullable T run() throws Throwable;

    }

}
