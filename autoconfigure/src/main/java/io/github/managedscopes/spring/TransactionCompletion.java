package io.github.managedscopes.spring;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.ThrowingRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one synchronization of a transaction that holds its {@link TransactionHooks} hooks and
 * its {@code closeAt = TRANSACTION_END} resources on an {@link ExitStack} made for the
 * transaction, and unwinds that stack after the transaction completes: last-in first-out,
 * each entry once, with the stack's own rules for fatal errors and for listeners that throw.
 * A hook runs only if the completion status is its own; every entry is guarded, so that what
 * one throws is logged and counted (as {@code hook-failed}) and never reaches the committer.
 * It is bound to the synchronization scope as a transaction resource under its own class,
 * unbound while the scope is suspended ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}) and
 * rebound when it resumes, like Spring's own resource holders.
 * <p>
 * This is the only class of the package, besides {@link TransactionHooks}, that uses
 * spring-tx: it is loaded only when a hook or a resource is bound to a transaction.
 */
final class TransactionCompletion implements TransactionSynchronization {

    private static final Logger logger = LoggerFactory.getLogger(TransactionHooks.class);

    private static final Object KEY = TransactionCompletion.class;

    private static final String UNKNOWN_OUTCOME = "TransactionHooks.outcomeUnknown";

    private final ExitStackListener listener;

    private final ExitStack stack;

    private int rollbackHooks;

    private int commitHooks;

    /** The completion status, set before the stack unwinds; read by the hooks at their turn. */
    private int status = STATUS_UNKNOWN;

    private boolean completed;

    private TransactionCompletion(ExitStackListener listener) {
        this.listener = listener;
        this.stack = new ExitStack(listener);
    }

    /**
     * Whether a Spring-managed transaction synchronization is active on this thread.
     */
    static boolean isActive() {
        return TransactionSynchronizationManager.isSynchronizationActive();
    }

    /**
     * Binds a hook to the current transaction.
     * @param onCommit whether to run it after a commit (else after a rollback)
     * @throws IllegalStateException if no synchronization is active
     */
    static void addHook(boolean onCommit, ThrowingRunnable hook, ExitStackListener listener) {
        TransactionCompletion completion = current(listener);
        if (onCommit) {
            completion.commitHooks++;
            completion.stack.callback(() -> completion.runIf(STATUS_COMMITTED, hook, TransactionHooks.ON_COMMIT,
                    "{} failed after its transaction committed; the commit stands and the other hooks still run"));
        }
        else {
            completion.rollbackHooks++;
            completion.stack.callback(() -> completion.runIf(STATUS_ROLLED_BACK, hook, TransactionHooks.ON_ROLLBACK,
                    "{} failed after its transaction rolled back; the rollback stands and the other hooks still run"));
        }
    }

    /**
     * Closes {@code resource} when the current transaction completes, if there is one. The
     * resource is registered under its name on a stack of its own, entered into the
     * transaction's, so that the listener sees it open and close like any other and its close
     * failure is logged and counted under its name.
     * @return whether a transaction took it
     */
    static boolean closeAtEnd(AutoCloseable resource, String name, ExitStackListener listener) {
        if (!isActive()) {
            return false;
        }
        TransactionCompletion completion = current(listener);
        ExitStack own = new ExitStack(listener);
        own.register(resource, name);
        completion.stack.callback(() -> GuardedHook.run(() -> own.exit(null), name, "Closing '{}' at the end of "
                + "its transaction failed; nothing could take the failure any more, so it was logged instead",
                listener));
        return true;
    }

    private static TransactionCompletion current(ExitStackListener listener) {
        TransactionCompletion completion = (TransactionCompletion) TransactionSynchronizationManager.getResource(KEY);
        // A holder left bound by a scope that ended without afterCompletion (code that cleared the
        // synchronization by hand) would never run: replace it rather than lose hooks silently.
        if (completion != null && !completion.completed
                && TransactionSynchronizationManager.getSynchronizations().contains(completion)) {
            return completion;
        }
        if (completion != null) {
            TransactionSynchronizationManager.unbindResource(KEY);
        }
        completion = new TransactionCompletion(listener);
        TransactionSynchronizationManager.registerSynchronization(completion);
        TransactionSynchronizationManager.bindResource(KEY, completion);
        return completion;
    }

    @Override
    public void suspend() {
        unbind();
    }

    @Override
    public void resume() {
        TransactionSynchronizationManager.bindResource(KEY, this);
    }

    @Override
    public void afterCompletion(int status) {
        if (this.completed) {
            return;
        }
        this.completed = true;
        this.status = status;
        unbind();
        if (status == STATUS_UNKNOWN) {
            reportUnknownOutcome();
        }
        // Every entry is guarded: only a VirtualMachineError gets out, after the other entries ran.
        this.stack.close();
    }

    private void runIf(int status, ThrowingRunnable hook, String name, String message) {
        if (this.status == status) {
            GuardedHook.run(hook, name, message, this.listener);
        }
    }

    private void unbind() {
        if (TransactionSynchronizationManager.getResource(KEY) == this) {
            TransactionSynchronizationManager.unbindResource(KEY);
        }
    }

    private void reportUnknownOutcome() {
        if (this.rollbackHooks + this.commitHooks == 0) {
            return;
        }
        IllegalStateException unknown = new IllegalStateException("The transaction ended with an unknown outcome "
                + "(a commit or rollback failed), so its " + this.rollbackHooks + " rollback hook(s) and "
                + this.commitHooks + " commit hook(s) were not run; reconcile what they would have done");
        logger.error(unknown.getMessage());
        GuardedHook.report(UNKNOWN_OUTCOME, unknown, this.listener);
    }

}
