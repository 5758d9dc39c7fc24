package io.github.managedscopes.spring;

import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.autoconfigure.ManagedScopesTransactionAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The per-transaction synchronization behind {@link TransactionHooks}, driven through Spring's
 * real {@link TransactionSynchronizationManager} for what a transaction manager does not easily
 * produce: a synchronization scope dropped without completion, a fatal error in a hook.
 */
class TransactionCompletionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class,
                ManagedScopesTransactionAutoConfiguration.class))
        .withBean(Journal.class);

    @AfterEach
    void clearThreadState() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.unbindResourceIfPossible(TransactionCompletion.class);
    }

    @Test
    void aScopeDroppedWithoutCompletionDoesNotSwallowTheHooksOfTheNextOne() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            Journal journal = context.getBean(Journal.class);
            TransactionSynchronizationManager.initSynchronization();
            hooks.onCommit(() -> journal.add("hook of the dropped scope"));
            TransactionSynchronizationManager.clearSynchronization();
            TransactionSynchronizationManager.initSynchronization();
            hooks.onCommit(() -> journal.add("hook of the next scope"));
            completeAll(TransactionSynchronization.STATUS_COMMITTED);
            assertThat(journal.events()).containsExactly("hook of the next scope");
        });
    }

    @Test
    void aVirtualMachineErrorFromAHookPropagatesAfterTheOtherHooksRan() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            Journal journal = context.getBean(Journal.class);
            TransactionSynchronizationManager.initSynchronization();
            hooks.onRollback(() -> journal.add("first hook"));
            hooks.onRollback(() -> {
                throw new StackOverflowError("fatal hook");
            });
            hooks.onRollback(() -> journal.add("third hook"));
            assertThatExceptionOfType(StackOverflowError.class)
                .isThrownBy(() -> completeAll(TransactionSynchronization.STATUS_ROLLED_BACK))
                .withMessage("fatal hook");
            assertThat(journal.events()).containsExactly("third hook", "first hook");
        });
    }

    @Test
    void afterCompletionRunsTheHooksOnlyOnce() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            Journal journal = context.getBean(Journal.class);
            TransactionSynchronizationManager.initSynchronization();
            hooks.onCommit(() -> journal.add("commit hook"));
            TransactionSynchronization synchronization = TransactionSynchronizationManager.getSynchronizations().get(0);
            TransactionSynchronizationManager.clearSynchronization();
            synchronization.afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
            synchronization.afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
            assertThat(journal.events()).containsExactly("commit hook");
        });
    }

    private static void completeAll(int status) {
        var synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        for (TransactionSynchronization synchronization : synchronizations) {
            synchronization.afterCompletion(status);
        }
    }

}
