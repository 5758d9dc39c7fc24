package io.github.managedscopes;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Python's {@code contextlib.AsyncExitStack}: closes what was opened in it, last-in
 * first-out, exactly once, whatever failed, awaiting each asynchronous close before the next
 * one starts, without blocking a thread.
 * <p>
 * The outcome of any program is exactly the outcome of the same program on an
 * {@link ExitStack} whose asynchronous entries were synchronous ones (the rules of
 * {@code docs/unwinding.md}, and A1 to A9 of {@code docs/async.md}): entries run one at a
 * time in reverse order, synchronous and asynchronous ones interleaved; an entry whose stage
 * fails (unwrapped from {@code CompletionException}), that throws instead of returning a
 * stage, or that returns {@code null} has failed. Each continuation runs on the thread that
 * completed the previous stage, or on the caller's when it was already complete, in a loop:
 * a million completed stages unwind without deep stacks. A stack made with
 * {@link #withCloseTimeout} treats an entry whose stage has not completed in time as failed
 * with a {@link java.util.concurrent.TimeoutException} and goes on at once.
 * <p>
 * Registration is safe from any thread at any time; a registration racing the unwind of a
 * scope's stack lands before its end or is refused and closed at once. No asynchronous type
 * is {@link AutoCloseable}: nothing here can block a thread on a stage.
 */
public class AsyncExitStack extends LockedEntries implements AsyncContextManager<AsyncExitStack> {

    /** The close time-out of each asynchronous entry in nanoseconds, or 0 for none. */
    final long closeTimeoutNanos;

    /** Creates an empty, reusable stack reporting to no listener. */
    public AsyncExitStack() {
        this(ExitStackListener.NONE, null, 0);
    }

    /**
     * Creates an empty, reusable stack.
     * @param listener what to report registrations, closes and suppressed exceptions to
     */
    public AsyncExitStack(ExitStackListener listener) {
        this(Objects.requireNonNull(listener, "'listener' must not be null"), null, 0);
    }

    AsyncExitStack(ExitStackListener listener, @Nullable String scope, long closeTimeoutNanos) {
        // A close that times out is named in its TimeoutException: keep the names given, listener or not.
        super(listener, scope, closeTimeoutNanos != 0);
        this.closeTimeoutNanos = closeTimeoutNanos;
    }

    /**
     * Creates an empty, reusable stack that treats an asynchronous entry whose close or exit
     * stage has not completed within {@code timeout} as failed with a
     * {@link java.util.concurrent.TimeoutException} naming the entry, and goes on with the
     * next entry at once. A failure that stage completes with later is reported to the
     * listener, never thrown.
     * @param timeout how long each asynchronous close may take; positive
     * @return the new stack
     */
    public static AsyncExitStack withCloseTimeout(Duration timeout) {
        return new AsyncExitStack(ExitStackListener.NONE, null, timeoutNanos(timeout));
    }

    /**
     * Creates an empty, reusable stack with a close time-out, as {@link #withCloseTimeout(Duration)},
     * that reports to {@code listener}: registrations, closes, suppressed exceptions, and the
     * failure a timed-out stage completes with later (in a Spring application, the
     * {@code ManagedScopesListeners} bean's {@code stacks()} feeds the metrics).
     * @param timeout how long each asynchronous close may take; positive
     * @param listener what to report to
     * @return the new stack
     */
    public static AsyncExitStack withCloseTimeout(Duration timeout, ExitStackListener listener) {
        long nanos = timeoutNanos(timeout);
        return new AsyncExitStack(Objects.requireNonNull(listener, "'listener' must not be null"), null, nanos);
    }

    /**
     * Creates the stack of a scope: it unwinds once and is sealed afterwards. Registering on
     * a sealed stack throws {@link IllegalStateException} naming the scope, and what was
     * passed in is closed (its asynchronous close started) at once, so nothing leaks.
     * @param scope a description of the scope, used in messages (for example "the request scope")
     * @param listener what to report to
     * @param closeTimeout the close time-out of each asynchronous entry, or {@code null} for none
     * @return a new stack
     */
    public static AsyncExitStack forScope(String scope, ExitStackListener listener, @Nullable Duration closeTimeout) {
        Objects.requireNonNull(scope, "'scope' must not be null");
        Objects.requireNonNull(listener, "'listener' must not be null");
        return new AsyncExitStack(listener, scope, (closeTimeout != null) ? timeoutNanos(closeTimeout) : 0);
    }

    private static long timeoutNanos(Duration timeout) {
        if (Objects.requireNonNull(timeout, "'timeout' must not be null").isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("'timeout' must be positive, but was " + timeout);
        }
        return timeout.toNanos();
    }

    /**
     * Registers a resource to be closed when the stack unwinds, as {@link ExitStack#register}.
     * @param resource the resource
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AutoCloseable> R register(R resource) {
        return register(resource, null);
    }

    /**
     * Registers a resource to be closed when the stack unwinds, reported under a name.
     * @param resource the resource
     * @param name the name it is reported under (a metric tag value: keep it bounded), or
     * {@code null} for its class name
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AutoCloseable> R register(R resource, @Nullable String name) {
        add(Objects.requireNonNull(resource, "'resource' must not be null"), CLOSE, name);
        return resource;
    }

    /**
     * Enters a context manager now and exits it when the stack unwinds.
     * @param manager the context manager; an {@link ExitStack} composes as if its entries
     * had been registered here
     * @param <T> the type of the entered value
     * @return what {@link ContextManager#enter()} returned
     * @throws Exception what entering threw; nothing is registered then
     */
    public <T extends @Nullable Object> T enterContext(ContextManager<T> manager) throws Exception {
        Objects.requireNonNull(manager, "'manager' must not be null");
        refuseIfSealed(manager, CONTEXT);
        T value = manager.enter();
        add(manager, (manager instanceof ExitStack) ? STACK : CONTEXT, null);
        return value;
    }

    /**
     * Registers a raw exit callback, as {@link ExitStack#push}.
     * @param exit the callback
     * @return this stack
     */
    public AsyncExitStack push(ExitCallback exit) {
        add(Objects.requireNonNull(exit, "'exit' must not be null"), PUSH, null);
        return this;
    }

    /**
     * Registers a cleanup, as {@link ExitStack#callback}.
     * @param cleanup the cleanup
     * @return this stack
     */
    public AsyncExitStack callback(ThrowingRunnable cleanup) {
        add(Objects.requireNonNull(cleanup, "'cleanup' must not be null"), CALLBACK, null);
        return this;
    }

    /**
     * Registers a compensation, as {@link ExitStack#onFailure}.
     * @param compensation the compensation
     * @return this stack
     */
    public AsyncExitStack onFailure(ThrowingRunnable compensation) {
        add(Objects.requireNonNull(compensation, "'compensation' must not be null"), ON_FAILURE, null);
        return this;
    }

    /**
     * Registers an action, as {@link ExitStack#onSuccess}.
     * @param action the action
     * @return this stack
     */
    public AsyncExitStack onSuccess(ThrowingRunnable action) {
        add(Objects.requireNonNull(action, "'action' must not be null"), ON_SUCCESS, null);
        return this;
    }

    /**
     * Registers a resource whose asynchronous close is awaited when the stack unwinds.
     * @param resource the resource
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AsyncCloseable> R registerAsync(R resource) {
        return registerAsync(resource, null);
    }

    /**
     * Registers a resource whose asynchronous close is awaited when the stack unwinds,
     * reported under a name.
     * @param resource the resource
     * @param name the name it is reported under, or {@code null} for its class name
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AsyncCloseable> R registerAsync(R resource, @Nullable String name) {
        add(Objects.requireNonNull(resource, "'resource' must not be null"), ASYNC_CLOSE, name);
        return resource;
    }

    /**
     * Enters an asynchronous context manager and registers its exit once entering completed
     * normally; when entering fails, nothing is registered.
     * @param manager the manager; an {@code AsyncExitStack} composes as if its entries had
     * been registered here
     * @param <T> the type of the entered value
     * @return a stage completed with the entered value after the exit was registered, or
     * exceptionally with what entering failed with
     */
    public <T extends @Nullable Object> CompletionStage<T> enterAsyncContext(AsyncContextManager<T> manager) {
        Objects.requireNonNull(manager, "'manager' must not be null");
        int kind = (manager instanceof AsyncExitStack) ? ASYNC_STACK : ASYNC_CONTEXT;
        refuseIfSealed(manager, kind);
        CompletableFuture<T> entered = new CompletableFuture<>();
        CompletionStage<T> entering;
        try {
            entering = Objects.requireNonNull(manager.enterAsync(), () -> "'" + EntryNames.of(manager)
                    + "' returned null instead of a CompletionStage from enterAsync()");
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
        entering.whenComplete((value, failure) -> {
            if (failure != null) {
                entered.completeExceptionally(Failures.unwrap(failure));
                return;
            }
            try {
                add(manager, kind, null);
                entered.complete(value);
            }
            catch (Throwable ex) {
                entered.completeExceptionally(ex);
            }
        });
        return entered;
    }

    /**
     * Registers a raw asynchronous exit callback (Python's {@code push_async_exit}).
     * @param exit the callback
     * @return this stack
     */
    public AsyncExitStack pushAsync(AsyncExitCallback exit) {
        add(Objects.requireNonNull(exit, "'exit' must not be null"), ASYNC_PUSH, null);
        return this;
    }

    /**
     * Registers an asynchronous cleanup (Python's {@code push_async_callback}) that runs at
     * every unwind and never swallows the failure in flight.
     * @param cleanup supplies the stage of the cleanup
     * @return this stack
     */
    public AsyncExitStack callbackAsync(ThrowingSupplier<? extends CompletionStage<?>> cleanup) {
        add(Objects.requireNonNull(cleanup, "'cleanup' must not be null"), ASYNC_CALLBACK, null);
        return this;
    }

    /**
     * Moves every entry to a new reusable stack with the same close time-out.
     * @return the stack holding the entries
     * @throws IllegalStateException if called while the stack unwinds
     */
    public AsyncExitStack popAll() {
        AsyncExitStack moved = new AsyncExitStack(this.listener, null, this.closeTimeoutNanos);
        moveEverythingTo(moved);
        return moved;
    }

    /** @return the number of entries that would run if the stack unwound now */
    public int size() {
        return count();
    }

    @Override
    public CompletionStage<AsyncExitStack> enterAsync() {
        return CompletableFuture.completedFuture(this);
    }

    /**
     * Unwinds the stack with {@code failure} in flight; never completes with {@code failure}
     * itself.
     * @param failure the failure in flight, or {@code null}
     * @return a stage completed, once every entry has run, with {@code true} if
     * {@code failure} was swallowed and nothing new failed, {@code false} if nothing failed or
     * the caller must rethrow {@code failure}, or exceptionally with the new failure
     */
    @Override
    public CompletionStage<Boolean> exitAsync(@Nullable Throwable failure) {
        return AsyncUnwind.start(this, failure, false);
    }

    /**
     * Unwinds the stack with nothing in flight.
     * @return a stage completed once every entry has run, exceptionally with the failure the
     * unwind ended with
     */
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> closeAsync() {
        return (CompletionStage<Void>) (CompletionStage<?>) AsyncUnwind.start(this, null, true);
    }

    @Override
    public String toString() {
        return "AsyncExitStack[" + ((this.scope != null) ? this.scope + ", " : "") + "size=" + size() + "]";
    }

}
