package io.github.managedscopes.spring;

import java.util.ArrayList;
import java.util.List;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.ThrowingRunnable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one synchronization of a transaction that holds its {@link TransactionHooks} hooks and
 * its {@code closeAt = TRANSACTION_END} resources, and runs them last-in first-out after the
 * transaction completes. It is bound to the synchronization scope as a transaction resource
 * under its own class, unbound while the scope is suspended ({@code REQUIRES_NEW},
 * {@code NOT_SUPPORTED}) and rebound when it resumes, like Spring's own resource holders.
 * <p>
 * This is the only class of the package, besides {@link TransactionHooks}, that uses
 * spring-tx: it is loaded only when a hook or a resource is bound to a transaction.
 */
final class TransactionCompletion implements TransactionSynchronization {

    private static final Logger logger = LoggerFactory.getLogger(TransactionHooks.class);

    private static final Object KEY = TransactionCompletion.class;

    private static final String UNKNOWN_OUTCOME = "TransactionHooks.outcomeUnknown";

    private final List<Entry> entries = new ArrayList<>();

    private boolean completed;

    private TransactionCompletion() {
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
        current().entries.add(new Entry(onCommit ? Kind.COMMIT : Kind.ROLLBACK,
                onCommit ? TransactionHooks.ON_COMMIT : TransactionHooks.ON_ROLLBACK, hook, listener, null));
    }

    /**
     * Closes {@code resource} when the current transaction completes, if there is one.
     * @return whether a transaction took it
     */
    static boolean closeAtEnd(AutoCloseable resource, String name, ExitStackListener listener) {
        if (!isActive()) {
            return false;
        }
        TransactionCompletion completion = current();
        Object token = listener.resourceRegistered(name);
        completion.entries.add(new Entry(Kind.CLOSE, name, resource::close, listener, token));
        return true;
    }

    private static TransactionCompletion current() {
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
        completion = new TransactionCompletion();
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
        unbind();
        if (status == STATUS_UNKNOWN) {
            reportUnknownOutcome();
        }
        VirtualMachineError fatal = null;
        for (int i = this.entries.size() - 1; i >= 0; i--) {
            Entry entry = this.entries.get(i);
            try {
                entry.complete(status);
            }
            catch (VirtualMachineError ex) {
                fatal = (fatal != null) ? fatal : ex;
            }
        }
        this.entries.clear();
        if (fatal != null) {
            throw fatal;
        }
    }

    private void unbind() {
        if (TransactionSynchronizationManager.getResource(KEY) == this) {
            TransactionSynchronizationManager.unbindResource(KEY);
        }
    }

    private void reportUnknownOutcome() {
        int rollbackHooks = 0;
        int commitHooks = 0;
        for (Entry entry : this.entries) {
            rollbackHooks += (entry.kind == Kind.ROLLBACK) ? 1 : 0;
            commitHooks += (entry.kind == Kind.COMMIT) ? 1 : 0;
        }
        if (rollbackHooks + commitHooks == 0) {
            return;
        }
        IllegalStateException unknown = new IllegalStateException("The transaction ended with an unknown outcome "
                + "(a commit or rollback failed), so its " + rollbackHooks + " rollback hook(s) and " + commitHooks
                + " commit hook(s) were not run; reconcile what they would have done");
        logger.error(unknown.getMessage());
        GuardedHook.report(UNKNOWN_OUTCOME, unknown, this.entries.get(0).listener);
    }

    private enum Kind {

        ROLLBACK, COMMIT, CLOSE

    }

    /**
     * A hook or a resource of the transaction.
     */
    private record Entry(Kind kind, String name, ThrowingRunnable action, ExitStackListener listener,
            @Nullable Object token) {

        void complete(int status) {
            switch (this.kind) {
                case ROLLBACK -> {
                    if (status == STATUS_ROLLED_BACK) {
                        GuardedHook.run(this.action, this.name, "{} failed after its transaction rolled back; the "
                                + "rollback stands and the other hooks still run", this.listener);
                    }
                }
                case COMMIT -> {
                    if (status == STATUS_COMMITTED) {
                        GuardedHook.run(this.action, this.name, "{} failed after its transaction committed; the "
                                + "commit stands and the other hooks still run", this.listener);
                    }
                }
                case CLOSE -> close();
            }
        }

        private void close() {
            Throwable failure = null;
            try {
                this.action.run();
            }
            catch (Throwable ex) {
                failure = ex;
            }
            try {
                this.listener.resourceClosed(this.name, this.token, failure);
            }
            catch (RuntimeException ex) {
                failure = (failure != null) ? failure : ex;
            }
            if (failure instanceof VirtualMachineError error) {
                throw error;
            }
            if (failure != null) {
                GuardedHook.failed(this.name, failure, "Closing '{}' at the end of its transaction failed; "
                        + "nothing could take the failure any more, so it was logged instead", this.listener);
            }
        }

    }

}
