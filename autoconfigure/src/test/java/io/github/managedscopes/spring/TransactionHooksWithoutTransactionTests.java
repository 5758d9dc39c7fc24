package io.github.managedscopes.spring;

import java.io.IOException;

import io.github.managedscopes.ThrowingRunnable;
import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.autoconfigure.ManagedScopesTransactionAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link TransactionHooks} with no transaction: hooks bind to the innermost scope's failure or
 * success, and with no scope either, registration says how to open one. Also
 * {@code closeAt = TRANSACTION_END} called outside any transaction.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransactionHooksWithoutTransactionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class,
                ManagedScopesTransactionAutoConfiguration.class))
        .withUserConfiguration(ScopedConfiguration.class);

    @Test
    void onRollbackRunsOnlyWhenTheEnclosingScopeFails() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            Journal journal = context.getBean(Journal.class);
            ManagedScopes.run(() -> hooks.onRollback(() -> journal.add("rollback hook after success")));
            assertThatIllegalArgumentException().isThrownBy(() -> ManagedScopes.run(() -> {
                hooks.onRollback(() -> journal.add("rollback hook after failure"));
                throw new IllegalArgumentException("scope failed");
            }));
            assertThat(journal.events()).containsExactly("rollback hook after failure");
        });
    }

    @Test
    void onCommitRunsOnlyWhenTheEnclosingScopeSucceeds() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            Journal journal = context.getBean(Journal.class);
            assertThatIllegalArgumentException().isThrownBy(() -> ManagedScopes.run(() -> {
                hooks.onCommit(() -> journal.add("commit hook after failure"));
                throw new IllegalArgumentException("scope failed");
            }));
            ManagedScopes.run(() -> hooks.onCommit(() -> journal.add("commit hook after success")));
            assertThat(journal.events()).containsExactly("commit hook after success");
        });
    }

    @Test
    void hooksBindToTheInnermostScopeAManagedScopeMethodOpens() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);
            ManagedScopes.run(() -> {
                assertThatIllegalArgumentException().isThrownBy(jobs::failingJob);
                journal.add("job returned");
                jobs.succeedingJob();
                journal.add("second job returned");
            });
            assertThat(journal.events()).containsExactly("failing job rollback hook", "job returned",
                    "succeeding job commit hook", "second job returned");
        });
    }

    @Test
    void aThrowingScopeHookChangesNothingAndIsReported(CapturedOutput output) {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            Journal journal = context.getBean(Journal.class);
            assertThatIllegalArgumentException().isThrownBy(() -> ManagedScopes.run(() -> {
                hooks.onRollback(() -> journal.add("first rollback hook"));
                hooks.onRollback(() -> {
                    throw new IOException("rollback hook broke");
                });
                hooks.onRollback(() -> journal.add("third rollback hook"));
                throw new IllegalArgumentException("scope failed");
            })).withMessage("scope failed").satisfies((ex) -> assertThat(ex.getSuppressed()).isEmpty());
            ManagedScopes.run(() -> hooks.onCommit(() -> {
                throw new IllegalStateException("commit hook broke");
            }));
            assertThat(journal.events()).containsExactly("third rollback hook", "first rollback hook");
            assertThat(context.getBean(RecordingListener.class).suppressed).containsExactly(
                    "TransactionHooks.onRollback IOException hook-failed",
                    "TransactionHooks.onCommit IllegalStateException hook-failed");
            TransactionHooksContractTests.assertLoggedOnceWithStackTrace(output,
                    "TransactionHooks.onRollback failed after its scope ended with a failure",
                    "java.io.IOException: rollback hook broke");
        });
    }

    @Test
    void registeringWithNeitherTransactionNorScopeSaysWhichIsMissingAndHowToOpenEither() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            ThrowingRunnable hook = () -> {
            };
            assertThatIllegalStateException().isThrownBy(() -> hooks.onRollback(hook))
                .withMessageContaining("TransactionHooks.onRollback found neither a transaction nor a managed scope")
                .withMessageContaining("@Transactional")
                .withMessageContaining("ManagedScopes.run(...)");
            assertThatIllegalStateException().isThrownBy(() -> hooks.onCommit(hook))
                .withMessageContaining("TransactionHooks.onCommit found neither a transaction nor a managed scope")
                .withMessageContaining("@ManagedScope")
                .withMessageContaining("AsyncExitStack with onFailure or onSuccess");
        });
    }

    @Test
    void rejectsNullHooksNamingTheArgument() {
        this.runner.run((context) -> {
            TransactionHooks hooks = context.getBean(TransactionHooks.class);
            ManagedScopes.run(() -> {
                assertThatNullPointerException().isThrownBy(() -> hooks.onRollback(null)).withMessage(
                        "'hook' must not be null");
                assertThatNullPointerException().isThrownBy(() -> hooks.onCommit(null)).withMessage(
                        "'hook' must not be null");
                assertThat(ManagedScopes.current().size()).isZero();
            });
        });
    }

    @Test
    void aTransactionEndResourceCalledOutsideAnyTransactionIsClosedAtOnceAndTheCallFailsNamingTheMethod() {
        this.runner.run((context) -> {
            TransactionalApplication.Connections connections = context
                .getBean(TransactionalApplication.Connections.class);
            Journal journal = context.getBean(Journal.class);
            ManagedScopes.run(() -> {
                assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> connections.open("cursor"))
                    .withMessageContaining("'Connections.open'")
                    .withMessageContaining("outside any transaction")
                    .withMessageContaining("@Transactional");
                assertThat(journal.events()).containsExactly("close cursor");
                assertThat(ManagedScopes.current().size()).isZero();
            });
            assertThat(journal.events()).containsExactly("close cursor");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @Import(RecordingConfiguration.class)
    static class ScopedConfiguration {

        @Bean
        Jobs jobs(TransactionHooks hooks, Journal journal) {
            return new Jobs(hooks, journal);
        }

        @Bean
        TransactionalApplication.Connections connections(Journal journal) {
            return new TransactionalApplication.Connections(journal);
        }

    }

    static class Jobs {

        private final TransactionHooks hooks;

        private final Journal journal;

        Jobs(TransactionHooks hooks, Journal journal) {
            this.hooks = hooks;
            this.journal = journal;
        }

        @ManagedScope
        public void failingJob() {
            this.hooks.onRollback(() -> this.journal.add("failing job rollback hook"));
            this.hooks.onCommit(() -> this.journal.add("failing job commit hook"));
            throw new IllegalArgumentException("job failed");
        }

        @ManagedScope
        public void succeedingJob() {
            this.hooks.onRollback(() -> this.journal.add("succeeding job rollback hook"));
            this.hooks.onCommit(() -> this.journal.add("succeeding job commit hook"));
        }

    }

}
