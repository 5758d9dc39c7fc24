package io.github.managedscopes.spring;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.autoconfigure.ManagedScopesTransactionAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The per-transaction synchronization behind {@link TransactionHooks}, driven through Spring's
 * real {@link TransactionSynchronizationManager} for what a transaction manager does not easily
 * produce: a synchronization scope dropped without completion, a fatal error in a hook, a
 * listener that throws (which, the transaction's entries being on an {@link ExitStack}, loses
 * nothing, exactly as on a stack).
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

    @Test
    void aListenerThatThrowsLosesNothingOnTheTransactionPathAsOnAStack() {
        ListAppender<ILoggingEvent> log = capture();
        List<String> events = new CopyOnWriteArrayList<>();
        ExitStackListener throwing = new ExitStackListener() {
            @Override
            public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
                throw new IllegalStateException("listener broke on close of " + name);
            }

            @Override
            public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
                throw new IllegalStateException("listener broke on " + reason.tagValue() + " of " + name);
            }
        };
        TransactionSynchronizationManager.initSynchronization();
        TransactionCompletion.addHook(true, () -> events.add("first commit hook"), throwing);
        TransactionCompletion.closeAtEnd(() -> events.add("cursor closed"), "cursor", throwing);
        TransactionCompletion.addHook(true, () -> {
            throw new IOException("hook broke");
        }, throwing);
        TransactionCompletion.addHook(true, () -> events.add("last commit hook"), throwing);
        completeAll(TransactionSynchronization.STATUS_COMMITTED);
        assertThat(events).containsExactly("last commit hook", "cursor closed", "first commit hook");
        // what the hook threw, what the listener threw on the close and on each report: all logged
        assertThat(log.list).extracting((event) -> event.getThrowableProxy().getMessage())
            .containsExactlyInAnyOrder("hook broke", "listener broke on hook-failed of TransactionHooks.onCommit",
                    "listener broke on close of cursor", "listener broke on hook-failed of cursor");
        // the same listener on a stack: the close failure of the listener is the stack's failure, nothing lost
        ExitStack stack = new ExitStack(throwing);
        stack.register(() -> events.add("stack resource closed"), "cursor");
        assertThatIllegalStateException().isThrownBy(stack::close).withMessage("listener broke on close of cursor");
        assertThat(events).endsWith("stack resource closed");
    }

    @Test
    void aListenerThatRefusesTheRegistrationOfATransactionEndResourceClosesItAtOnceAsAStackDoes() {
        List<String> events = new CopyOnWriteArrayList<>();
        ExitStackListener refusing = new ExitStackListener() {
            @Override
            public @Nullable Object resourceRegistered(String name) {
                throw new IllegalStateException("listener refused " + name);
            }
        };
        TransactionSynchronizationManager.initSynchronization();
        assertThatIllegalStateException()
            .isThrownBy(() -> TransactionCompletion.closeAtEnd(() -> events.add("closed at once"), "cursor", refusing))
            .withMessage("listener refused cursor");
        assertThat(events).containsExactly("closed at once");
        assertThatIllegalStateException()
            .isThrownBy(() -> new ExitStack(refusing).register(() -> events.add("closed at once by the stack"), "c"))
            .withMessage("listener refused c");
        assertThat(events).containsExactly("closed at once", "closed at once by the stack");
        completeAll(TransactionSynchronization.STATUS_COMMITTED);
        assertThat(events).hasSize(2);
    }

    private static ListAppender<ILoggingEvent> capture() {
        Logger logger = (Logger) LoggerFactory.getLogger(TransactionHooks.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static void completeAll(int status) {
        var synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        for (TransactionSynchronization synchronization : synchronizations) {
            synchronization.afterCompletion(status);
        }
    }

}
