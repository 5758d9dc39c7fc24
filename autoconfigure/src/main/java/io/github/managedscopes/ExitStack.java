package io.github.managedscopes;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Closes what was opened in it, last-in first-out, exactly once, whatever failed: Python's
 * {@code contextlib.ExitStack} with the guarantees of nested try-with-resources blocks.
 * <p>
 * Unwinding a stack behaves exactly like the equivalent nested try-with-resources blocks,
 * the first entry being the outermost: every entry runs once in reverse order, even when
 * others throw; the failure in flight stays primary and later failures are added to it with
 * {@link Throwable#addSuppressed}; an exit that returns {@code true} swallows the failure in
 * flight (never a {@link VirtualMachineError}), and its next outer entries see none. Nothing
 * is lost: every exception thrown during an unwind is reachable from what propagates, or was
 * swallowed by an exit and reported to the stack's {@link ExitStackListener}.
 * <p>
 * <strong>Threads.</strong> A stack is owned by the thread that created it, or by the one
 * that last unwound it. The owner registers with plain memory writes; any other thread may
 * register at any time through a synchronised path, and its entries unwind in the order
 * they were registered relative to the owner's. Another thread may unwind the stack once the
 * owner has handed it over (through an executor, a future, a lock: anything that orders the
 * owner's work before the unwind); that thread then owns the stack. A registration from
 * another thread racing an unwind either lands before its end and is closed by it, or lands
 * after it and waits for the next one; on a {@linkplain #forScope scope's stack} it is
 * refused once the scope has ended, and what it registered is closed at once.
 * <p>
 * A stack is reusable after it has been unwound, unless it belongs to a scope.
 */
public class ExitStack extends OwnedEntries implements ContextManager<ExitStack>, AutoCloseable {

    /**
     * Creates an empty, reusable stack owned by the current thread, reporting to no listener.
     */
    public ExitStack() {
        this(ExitStackListener.NONE, null);
    }

    /**
     * Creates an empty, reusable stack owned by the current thread.
     * @param listener what to report registrations, closes and suppressed exceptions to
     */
    public ExitStack(ExitStackListener listener) {
        this(Objects.requireNonNull(listener, "'listener' must not be null"), null);
    }

    private ExitStack(ExitStackListener listener, @Nullable String scope) {
        super(listener, scope);
    }

    /**
     * Creates the stack of a scope: it unwinds once and is sealed afterwards. Registering on
     * a sealed stack throws {@link IllegalStateException} naming the scope, and what was
     * passed in is closed (or its callback run) at once, so nothing leaks.
     * @param scope a description of the scope, used in messages (for example "the request scope")
     * @param listener what to report to
     * @return a new stack owned by the current thread
     */
    public static ExitStack forScope(String scope, ExitStackListener listener) {
        Objects.requireNonNull(scope, "'scope' must not be null");
        Objects.requireNonNull(listener, "'listener' must not be null");
        return new ExitStack(listener, scope);
    }

    /**
     * Creates a stack that stands for one that does not exist, such as the current request's
     * outside any request: it refuses what is offered to it as a {@linkplain #forScope scope's
     * stack} does once unwound (a resource is closed and a cleanup run at once, a context
     * manager is not entered), and every call throws {@link IllegalStateException} with
     * {@code reason}, naming what was refused.
     * @param reason why there is no stack, and what to do instead
     * @return a new stack, refusing from the start
     */
    public static ExitStack refusing(String reason) {
        Objects.requireNonNull(reason, "'reason' must not be null");
        ExitStack stack = new Refusing(reason);
        // A scope's stack is sealed by its first unwind.
        stack.unwind(null);
        return stack;
    }

    /**
     * Registers a resource to be closed when the stack unwinds.
     * @param resource the resource
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AutoCloseable> R register(R resource) {
        Objects.requireNonNull(resource, "'resource' must not be null");
        add(resource, CLOSE, null);
        return resource;
    }

    /**
     * Registers a resource to be closed when the stack unwinds, reported under a name.
     * @param resource the resource
     * @param name the name it is reported under (a metric tag value: keep it bounded)
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AutoCloseable> R register(R resource, String name) {
        Objects.requireNonNull(resource, "'resource' must not be null");
        Objects.requireNonNull(name, "'name' must not be null");
        add(resource, CLOSE, name);
        return resource;
    }

    /**
     * Enters a context manager now and exits it when the stack unwinds, handing it the failure
     * in flight. An {@code ExitStack} entered this way composes exactly as if its entries had
     * been registered on this one.
     * @param manager the context manager
     * @param <T> the type of the entered value
     * @return what {@link ContextManager#enter()} returned
     * @throws Exception what entering threw; nothing is registered then
     */
    public <T extends @Nullable Object> T enterContext(ContextManager<T> manager) throws Exception {
        Objects.requireNonNull(manager, "'manager' must not be null");
        if (isSealed()) {
            refuse(manager, CONTEXT, null, false);
        }
        T value = manager.enter();
        add(manager, (manager instanceof ExitStack) ? STACK : CONTEXT, null);
        return value;
    }

    /**
     * Registers a raw exit callback, which sees the failure in flight and may swallow it.
     * @param exit the callback
     * @return this stack
     */
    public ExitStack push(ExitCallback exit) {
        Objects.requireNonNull(exit, "'exit' must not be null");
        add(exit, PUSH, null);
        return this;
    }

    /**
     * Registers a cleanup that runs when the stack unwinds, whatever happened. It never
     * swallows the failure in flight.
     * @param cleanup the cleanup
     * @return this stack
     */
    public ExitStack callback(ThrowingRunnable cleanup) {
        Objects.requireNonNull(cleanup, "'cleanup' must not be null");
        add(cleanup, CALLBACK, null);
        return this;
    }

    /**
     * Registers a compensation that runs only if a failure is in flight at its turn of the
     * unwind, as a catch clause at that depth would (Zig's {@code errdefer}).
     * @param compensation the compensation
     * @return this stack
     */
    public ExitStack onFailure(ThrowingRunnable compensation) {
        Objects.requireNonNull(compensation, "'compensation' must not be null");
        add(compensation, ON_FAILURE, null);
        return this;
    }

    /**
     * Registers an action that runs only if no failure is in flight at its turn of the
     * unwind, as an else clause at that depth would.
     * @param action the action
     * @return this stack
     */
    public ExitStack onSuccess(ThrowingRunnable action) {
        Objects.requireNonNull(action, "'action' must not be null");
        add(action, ON_SUCCESS, null);
        return this;
    }

    /**
     * Moves every entry to a new stack, owned by the current thread, and leaves this one
     * empty: the way to hand what was opened here to a caller once everything succeeded.
     * @return a reusable stack holding the entries
     */
    public ExitStack popAll() {
        ExitStack moved = new ExitStack(this.listener, null);
        moveEverythingTo(moved);
        return moved;
    }

    /**
     * The number of entries that would run if the stack unwound now.
     * @return the number of entries
     */
    public int size() {
        return count();
    }

    /**
     * Returns this stack, so that it can be entered into another one.
     * @return this stack
     */
    @Override
    public ExitStack enter() {
        return this;
    }

    /**
     * Unwinds the stack with {@code failure} in flight. Never throws {@code failure} itself.
     * @param failure the failure in flight, or {@code null}
     * @return {@code true} if {@code failure} was swallowed and nothing new was thrown;
     * {@code false} if nothing failed, or if the caller must rethrow {@code failure} (which
     * may now carry suppressed close failures)
     * @throws Exception the new failure, when {@code failure} was {@code null} or swallowed and
     * an entry then failed, or when an entry threw a {@link VirtualMachineError}
     * @throws IllegalStateException if called from one of this stack's own entries, or while
     * another thread unwinds it; {@code failure}, if any, is added to it as suppressed
     */
    @Override
    public boolean exit(@Nullable Throwable failure) throws Exception {
        Throwable outcome = unwind(failure);
        if (outcome == null) {
            return failure != null;
        }
        if (outcome == failure) {
            return false;
        }
        throw Failures.<RuntimeException>sneakyThrow(outcome);
    }

    /**
     * Unwinds the stack with nothing in flight.
     * @throws UnwindException wrapping a checked exception an entry threw; runtime exceptions
     * and errors are thrown unchanged
     * @throws IllegalStateException if called from one of this stack's own entries
     */
    @Override
    public void close() {
        Throwable outcome = unwind(null);
        if (outcome != null) {
            throw Failures.propagate(outcome);
        }
    }

    @Override
    public String toString() {
        return "ExitStack[" + ((this.scope != null) ? this.scope + ", " : "") + "size=" + size() + "]";
    }

    /** The stack {@link #refusing} returns. */
    private static final class Refusing extends ExitStack {

        private final String reason;

        Refusing(String reason) {
            super(ExitStackListener.NONE, reason);
            this.reason = reason;
        }

        @Override
        String refusal(String name, String fate) {
            return "Cannot register '" + name + "', so " + fate + ". " + this.reason;
        }

        @Override
        public ExitStack popAll() {
            throw new IllegalStateException(this.reason);
        }

        @Override
        public int size() {
            throw new IllegalStateException(this.reason);
        }

        @Override
        public ExitStack enter() {
            throw new IllegalStateException(this.reason);
        }

        @Override
        public boolean exit(@Nullable Throwable failure) {
            IllegalStateException refused = new IllegalStateException(this.reason);
            if (failure != null) {
                refused.addSuppressed(failure);
            }
            throw refused;
        }

        @Override
        public void close() {
            throw new IllegalStateException(this.reason);
        }

        @Override
        public String toString() {
            return "ExitStack[refusing]";
        }

    }

    /**
     * Unwinds the stack. The loop is kept small enough to be inlined into its callers: the
     * common step, closing an {@link AutoCloseable} with nothing failing, is done here, and
     * everything rarer (other kinds, failures, listeners, other threads' entries) out of line.
     */
    private @Nullable Throwable unwind(@Nullable Throwable failure) {
        if (!beginUnwind(failure)) {
            return failure;
        }
        Throwable pending = failure;
        for (;;) {
            Object entry;
            int kind;
            int index = this.size - 1;
            if (index >= 0 && this.foreign == null) {
                kind = kindAt(index);
                entry = take(index);
            }
            else {
                entry = nextEntry();
                if (entry == null) {
                    if (finishUnwind()) {
                        return pending;
                    }
                    continue;
                }
                kind = this.nextKind;
            }
            if (kind != CLOSE) {
                pending = runEntry(entry, kind, pending);
            }
            else {
                // The handler only records: a call from it would make this stack escape,
                // which keeps the JIT from scalar-replacing it.
                Throwable thrown = null;
                try {
                    ((AutoCloseable) entry).close();
                }
                catch (Throwable ex) {
                    thrown = ex;
                }
                if (thrown != null) {
                    pending = failed(entry, null, thrown, pending, false);
                }
            }
        }
    }

}
