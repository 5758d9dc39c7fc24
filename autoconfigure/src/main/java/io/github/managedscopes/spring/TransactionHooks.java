package io.github.managedscopes.spring;

import java.util.Objects;
import java.util.function.Supplier;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.ThrowingRunnable;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs compensation exactly when a transaction rolls back, and follow-up work exactly when it
 * commits; a hook that fails never changes the outcome, and its failure is logged and counted
 * instead of lost.
 * <p>
 * <strong>Binding.</strong> A hook binds, when it is registered, to the first of:
 * <ol>
 * <li>the current Spring-managed transaction synchronization scope, when
 * {@link TransactionSynchronizationManager#isSynchronizationActive()} (a {@code @Transactional}
 * method, a {@code TransactionTemplate} callback; also the "empty" scope of
 * {@code SUPPORTS}, {@code NOT_SUPPORTED} or {@code NEVER} without a transaction, which
 * completes when that method returns or throws);</li>
 * <li>the innermost active scope ({@link ManagedScopes#current()}): a rollback hook runs
 * through {@link ExitStack#onFailure}, only if the scope unwinds with a failure in flight at its
 * turn, and a commit hook through {@link ExitStack#onSuccess}, only if it does not;</li>
 * <li>nothing: registration throws the {@link IllegalStateException} of
 * {@link ManagedScopes#current()}, which says how to open a scope.</li>
 * </ol>
 * <strong>Running.</strong> The hooks of one transaction are entries of an {@link ExitStack}
 * made for it, held by one {@link TransactionSynchronization} and unwound in its
 * {@link TransactionSynchronization#afterCompletion afterCompletion}, last-in first-out
 * together with that transaction's {@code @ManagedResource(closeAt = TRANSACTION_END)}
 * resources, each exactly once, under the stack's rules ({@code docs/unwinding.md}):
 * <ul>
 * <li>{@code STATUS_ROLLED_BACK}: the rollback hooks run, the commit hooks are dropped;</li>
 * <li>{@code STATUS_COMMITTED}: the commit hooks run, the rollback hooks are dropped;</li>
 * <li>{@code STATUS_UNKNOWN} (the commit or rollback itself failed, for instance a deferred
 * constraint violated at commit, or a lost connection): <em>neither</em> kind runs, since a
 * compensation run after a commit would corrupt data as surely as a confirmation sent after a
 * rollback. The transaction's resources are still closed. One ERROR line says how many hooks
 * were dropped, and the listener sees it as {@code exceptionSuppressed("TransactionHooks.outcomeUnknown",
 * ex, HOOK_FAILED)}; the caller of the commit receives the transaction manager's exception.</li>
 * </ul>
 * As Spring's {@code afterCompletion} notes, the transaction's resources (its JDBC connection)
 * may still be bound while hooks run: data access from a hook participates in the completed
 * transaction and is never committed, unless it runs in {@code REQUIRES_NEW}.
 * <p>
 * <strong>Failures.</strong> A hook that throws does not propagate, to the committer nor to the
 * scope's caller, and changes nothing: the outcome stands and every other hook still runs. Its
 * exception is logged once at WARN with its stack trace (logger
 * {@code io.github.managedscopes.spring.TransactionHooks}) and reported to the
 * {@link ExitStackListener} as {@code exceptionSuppressed("TransactionHooks.onRollback" or
 * "TransactionHooks.onCommit", ex, }{@link SuppressionReason#HOOK_FAILED}{@code )}, which feeds
 * the {@code managedscopes.exceptions.suppressed} counter. An {@code InterruptedException}
 * re-sets the thread's interrupt flag. A {@link VirtualMachineError} is never swallowed: the
 * remaining hooks of the transaction still run, then it is rethrown (Spring then logs it).
 * <p>
 * <strong>Nested transactions.</strong> {@code REQUIRES_NEW} suspends the outer scope: hooks
 * registered inside bind to the inner transaction and run when it completes, whatever the outer
 * one does later. {@code NESTED} uses a savepoint of the same physical transaction: a rollback to
 * the savepoint completes nothing, so hooks registered inside run on the <em>outer</em>
 * transaction's outcome (a commit hook registered in a nested block that rolled back to its
 * savepoint runs when the outer transaction commits). {@code REQUIRED} joins the outer scope.
 * <p>
 * Hooks registered while hooks run (from within a hook) find no synchronization active and bind
 * to the innermost scope instead. Registration is thread-bound, like Spring's synchronization.
 */
public final class TransactionHooks {

    static final String ON_ROLLBACK = "TransactionHooks.onRollback";

    static final String ON_COMMIT = "TransactionHooks.onCommit";

    private final SingletonSupplier<ExitStackListener> listener;

    /**
     * Creates the hooks.
     * @param listener supplies what to report hook failures to, on first use
     */
    public TransactionHooks(Supplier<ExitStackListener> listener) {
        this.listener = SingletonSupplier.of(Objects.requireNonNull(listener, "'listener' must not be null"));
    }

    /**
     * Runs {@code hook} once after the current transaction rolls back, or, with no transaction
     * synchronization active, once when the innermost scope ends with a failure. It never runs
     * after a commit, nor when the outcome is unknown.
     * @param hook the compensation
     * @throws NullPointerException if {@code hook} is {@code null}
     * @throws IllegalStateException if neither a transaction synchronization nor a scope is
     * active on this thread
     */
    public void onRollback(ThrowingRunnable hook) {
        register(false, hook);
    }

    /**
     * Runs {@code hook} once after the current transaction commits, or, with no transaction
     * synchronization active, once when the innermost scope ends without a failure. It never
     * runs after a rollback, nor when the outcome is unknown.
     * @param hook the follow-up action
     * @throws NullPointerException if {@code hook} is {@code null}
     * @throws IllegalStateException if neither a transaction synchronization nor a scope is
     * active on this thread
     */
    public void onCommit(ThrowingRunnable hook) {
        register(true, hook);
    }

    private void register(boolean onCommit, ThrowingRunnable hook) {
        Objects.requireNonNull(hook, "'hook' must not be null");
        if (TransactionCompletion.isActive()) {
            TransactionCompletion.addHook(onCommit, hook, this.listener.obtain());
            return;
        }
        ActiveScope scope = ManagedScopes.scopeToRegisterOn();
        if (scope == null) {
            String method = onCommit ? "onCommit" : "onRollback";
            throw new IllegalStateException(ManagedScopes.noScope("TransactionHooks." + method + " found neither a "
                    + "transaction nor a managed scope on thread '" + Thread.currentThread().getName() + "'. Call it "
                    + "inside a @Transactional method or a TransactionTemplate callback, or in a managed scope: a "
                    + "request, a @ManagedScope method, ManagedScopes.run(...)",
                    "register on the handler's AsyncExitStack with onFailure or onSuccess instead"));
        }
        ExitStack stack = scope.stack();
        if (onCommit) {
            stack.onSuccess(() -> GuardedHook.run(hook, ON_COMMIT, "{} failed after its scope ended without a "
                    + "failure; the scope still succeeds and the other entries still run", this.listener.obtain()));
        }
        else {
            stack.onFailure(() -> GuardedHook.run(hook, ON_ROLLBACK, "{} failed after its scope ended with a "
                    + "failure; that failure stands and the other entries still run", this.listener.obtain()));
        }
    }

}
