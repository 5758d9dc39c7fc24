package io.github.managedscopes.spring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The contract of {@link TransactionHooks} and {@code @ManagedResource(closeAt = TRANSACTION_END)}
 * on a real database, through {@code @Transactional} proxies, {@code DataSourceTransactionManager}
 * and HikariCP. Each subclass supplies the database; the same tests run on each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class TransactionHooksContractTests {

    private static final AtomicInteger names = new AtomicInteger();

    TransactionalApplication app;

    /**
     * The database to run on, or an aborted assumption when it is not there.
     */
    abstract HikariDataSource dataSource();

    @BeforeAll
    void startApplication() {
        String table = "ms_tx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        this.app = new TransactionalApplication(dataSource(), table);
    }

    @AfterAll
    void stopApplication() {
        if (this.app != null) {
            this.app.close();
        }
    }

    @BeforeEach
    void clearJournal() {
        this.app.journal.clear();
        this.app.listener.suppressed.clear();
        this.app.listener.registered.clear();
    }

    @AfterEach
    void leavesNoConnectionActive() {
        assertThat(this.app.activeConnections()).as("active Hikari connections after the test").isZero();
    }

    /** A name no other test uses. */
    static String unique(String name) {
        return name + "-" + names.incrementAndGet();
    }

    @Test
    void aUniqueViolationRollsBackRunningTheRollbackHookOnceAndNeverTheCommitHook() {
        String name = unique("alice");
        this.app.ledger.insert(name);
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("rollback hook"));
            this.app.hooks.onCommit(() -> this.app.journal.add("commit hook"));
            this.app.ledger.insert(name + "-first");
            this.app.ledger.insert(name);
        }));
        assertThat(this.app.journal.events()).containsExactly("rollback hook");
        assertThat(this.app.ledger.names(name)).containsExactly(name);
    }

    @Test
    void aCommitRunsTheCommitHookOnceAndNeverTheRollbackHook() throws Exception {
        String name = unique("bob");
        this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("rollback hook"));
            this.app.hooks.onCommit(() -> this.app.journal.add("commit hook"));
            this.app.ledger.insert(name);
        });
        assertThat(this.app.journal.events()).containsExactly("commit hook");
        assertThat(this.app.ledger.names(name)).containsExactly(name);
    }

    @Test
    void hooksRunAfterCompletionLastInFirstOut() throws Exception {
        this.app.transactions.required(() -> {
            for (String hook : new String[] { "first", "second", "third" }) {
                this.app.hooks.onCommit(() -> this.app.journal.add(hook + " ran, synchronization active: "
                        + TransactionSynchronizationManager.isSynchronizationActive()));
            }
            this.app.ledger.insert(unique("carol"));
            this.app.journal.add("body ended");
        });
        assertThat(this.app.journal.events()).containsExactly("body ended",
                "third ran, synchronization active: false", "second ran, synchronization active: false",
                "first ran, synchronization active: false");
    }

    @Test
    void aThrowingCommitHookChangesNothingAndIsReported(CapturedOutput output) throws Exception {
        String name = unique("dave");
        this.app.transactions.required(() -> {
            this.app.hooks.onCommit(() -> this.app.journal.add("first commit hook"));
            this.app.hooks.onCommit(() -> {
                throw new IllegalStateException("commit hook broke");
            });
            this.app.hooks.onCommit(() -> this.app.journal.add("third commit hook"));
            this.app.ledger.insert(name);
        });
        assertThat(this.app.ledger.names(name)).containsExactly(name);
        assertThat(this.app.journal.events()).containsExactly("third commit hook", "first commit hook");
        assertThat(this.app.listener.suppressed)
            .containsExactly("TransactionHooks.onCommit IllegalStateException hook-failed");
        assertLoggedOnceWithStackTrace(output, "TransactionHooks.onCommit failed after its transaction committed",
                "java.lang.IllegalStateException: commit hook broke");
    }

    @Test
    void aThrowingRollbackHookKeepsTheOriginalFailureAndIsReported(CapturedOutput output) {
        String name = unique("erin");
        this.app.ledger.insert(name);
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("first rollback hook"));
            this.app.hooks.onRollback(() -> {
                throw new IOException("rollback hook broke");
            });
            this.app.hooks.onRollback(() -> this.app.journal.add("third rollback hook"));
            this.app.ledger.insert(name);
        })).satisfies((ex) -> assertThat(ex.getSuppressed()).isEmpty());
        assertThat(this.app.journal.events()).containsExactly("third rollback hook", "first rollback hook");
        assertThat(this.app.listener.suppressed).containsExactly("TransactionHooks.onRollback IOException hook-failed");
        assertLoggedOnceWithStackTrace(output, "TransactionHooks.onRollback failed after its transaction rolled back",
                "java.io.IOException: rollback hook broke");
    }

    @Test
    void requiresNewInnerRollbackWithOuterCommitRunsTheInnerRollbackHooksAndTheOuterCommitHooks() throws Exception {
        String name = unique("frank");
        this.app.ledger.insert(name);
        this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("outer rollback hook"));
            this.app.hooks.onCommit(() -> this.app.journal.add("outer commit hook"));
            this.app.ledger.insert(name + "-outer");
            assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> this.app.transactions.requiresNew(() -> {
                    this.app.hooks.onRollback(() -> this.app.journal.add("inner rollback hook"));
                    this.app.hooks.onCommit(() -> this.app.journal.add("inner commit hook"));
                    this.app.ledger.insert(name);
                }));
            this.app.journal.add("inner returned");
        });
        assertThat(this.app.journal.events()).containsExactly("inner rollback hook", "inner returned",
                "outer commit hook");
        assertThat(this.app.ledger.names(name)).containsExactly(name, name + "-outer");
    }

    @Test
    void requiresNewInnerCommitWithOuterRollbackRunsTheInnerCommitHooksAndTheOuterRollbackHooks() {
        String name = unique("grace");
        this.app.ledger.insert(name);
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("outer rollback hook"));
            this.app.hooks.onCommit(() -> this.app.journal.add("outer commit hook"));
            this.app.transactions.requiresNew(() -> {
                this.app.hooks.onRollback(() -> this.app.journal.add("inner rollback hook"));
                this.app.hooks.onCommit(() -> this.app.journal.add("inner commit hook"));
                this.app.ledger.insert(name + "-inner");
            });
            this.app.ledger.insert(name);
        }));
        assertThat(this.app.journal.events()).containsExactly("inner commit hook", "outer rollback hook");
        assertThat(this.app.ledger.names(name)).containsExactly(name, name + "-inner");
    }

    @Test
    void aNestedRollbackToItsSavepointRunsItsHooksOnTheOuterCommit() throws Exception {
        String name = unique("heidi");
        this.app.ledger.insert(name);
        this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("outer rollback hook"));
            this.app.hooks.onCommit(() -> this.app.journal.add("outer commit hook"));
            assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.app.transactions.nested(() -> {
                this.app.hooks.onRollback(() -> this.app.journal.add("nested rollback hook"));
                this.app.hooks.onCommit(() -> this.app.journal.add("nested commit hook"));
                this.app.ledger.insert(name + "-nested");
                this.app.ledger.insert(name);
            }));
            this.app.journal.add("rolled back to the savepoint");
            this.app.ledger.insert(name + "-outer");
        });
        assertThat(this.app.journal.events()).containsExactly("rolled back to the savepoint", "nested commit hook",
                "outer commit hook");
        assertThat(this.app.ledger.names(name)).containsExactly(name, name + "-outer");
    }

    @Test
    void aNestedBlockThatSucceededRunsItsRollbackHooksWhenTheOuterTransactionRollsBack() {
        String name = unique("ivan");
        this.app.ledger.insert(name);
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> this.app.transactions.required(() -> {
            this.app.hooks.onRollback(() -> this.app.journal.add("outer rollback hook"));
            this.app.transactions.nested(() -> {
                this.app.hooks.onRollback(() -> this.app.journal.add("nested rollback hook"));
                this.app.hooks.onCommit(() -> this.app.journal.add("nested commit hook"));
                this.app.ledger.insert(name + "-nested");
            });
            this.app.journal.add("nested released its savepoint");
            this.app.ledger.insert(name);
        }));
        assertThat(this.app.journal.events()).containsExactly("nested released its savepoint",
                "nested rollback hook", "outer rollback hook");
        assertThat(this.app.ledger.names(name)).containsExactly(name);
    }

    @Test
    void aFileWrittenDuringTheTransactionIsDeletedByItsRollbackHookWhenTheInsertFails(@TempDir Path directory) {
        String name = unique("report");
        this.app.ledger.insert(name);
        assertThatExceptionOfType(DuplicateKeyException.class)
            .isThrownBy(() -> this.app.documents.store(directory, name));
        assertThat(directory.resolve(name + ".txt")).doesNotExist();
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void aFileWrittenDuringTheTransactionIsKeptWhenItCommits(@TempDir Path directory) throws Exception {
        String name = unique("invoice");
        Path file = this.app.documents.store(directory, name);
        assertThat(file).exists().hasContent("content of " + name);
        assertThat(this.app.ledger.names(name)).containsExactly(name);
    }

    @Test
    void aTransactionEndResourceIsClosedAtCommitNotWhenTheScopeInsideTheTransactionEnds() throws Exception {
        this.app.transactions.required(() -> {
            ManagedScopes.run(() -> this.app.connections.open("cursor").use());
            this.app.journal.add("scope ended");
            this.app.ledger.insert(unique("judy"));
        });
        this.app.journal.add("committed");
        assertThat(this.app.journal.events()).containsExactly("use cursor", "scope ended", "close cursor",
                "committed");
    }

    @Test
    void aTransactionEndResourceIsClosedAtRollback() {
        String name = unique("mallory");
        this.app.ledger.insert(name);
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> ManagedScopes.run(() -> {
            assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> this.app.transactions.required(() -> {
                    this.app.connections.open("cursor").use();
                    this.app.ledger.insert(name);
                }));
            this.app.journal.add("rolled back");
            throw new DuplicateKeyException("the scope fails after the transaction");
        }));
        assertThat(this.app.journal.events()).containsExactly("use cursor", "close cursor", "rolled back");
    }

    @Test
    void transactionEndResourcesAndHooksUnwindTogetherLastInFirstOut() throws Exception {
        this.app.transactions.required(() -> {
            this.app.connections.open("first");
            this.app.hooks.onCommit(() -> this.app.journal.add("commit hook"));
            this.app.connections.open("second");
            this.app.ledger.insert(unique("niaj"));
        });
        assertThat(this.app.journal.events()).containsExactly("close second", "commit hook", "close first");
        assertThat(this.app.listener.registered).containsExactly("Connections.open", "Connections.open");
    }

    @Test
    void aCloseFailureAtTransactionEndIsLoggedAndReportedAndTheOthersStillClose(CapturedOutput output)
            throws Exception {
        String name = unique("oscar");
        this.app.transactions.required(() -> {
            this.app.connections.open("first");
            this.app.connections.broken();
            this.app.hooks.onCommit(() -> this.app.journal.add("commit hook"));
            this.app.ledger.insert(name);
        });
        assertThat(this.app.ledger.names(name)).containsExactly(name);
        assertThat(this.app.journal.events()).containsExactly("commit hook", "close broken", "close first");
        assertThat(this.app.listener.suppressed).containsExactly("brokenAtEnd IllegalStateException hook-failed");
        assertLoggedOnceWithStackTrace(output, "Closing 'brokenAtEnd' at the end of its transaction failed",
                "java.lang.IllegalStateException: broken close");
    }

    static void assertLoggedOnceWithStackTrace(CapturedOutput output, String message, String exception) {
        String all = output.getAll();
        assertThat(all.split(Pattern.quote(message), -1)).as("times logged: " + message).hasSize(2);
        int at = all.indexOf(message);
        String line = all.substring(all.lastIndexOf('\n', at) + 1, all.indexOf('\n', at));
        assertThat(line).contains("WARN");
        assertThat(all.substring(at)).contains(exception).contains("\tat ");
    }

}
