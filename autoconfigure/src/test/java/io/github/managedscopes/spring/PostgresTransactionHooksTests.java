package io.github.managedscopes.spring;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The transaction contract on a real PostgreSQL on 127.0.0.1:5432 (database {@code test},
 * user {@code postgres}): required when {@code CI=true}, skipped with a message otherwise.
 * Adds what only PostgreSQL can show here: a commit that fails, so that the outcome is
 * {@code STATUS_UNKNOWN}.
 */
@ExtendWith(TestDatabases.PostgresAvailable.class)
class PostgresTransactionHooksTests extends TransactionHooksContractTests {

    @Override
    HikariDataSource dataSource() {
        return TestDatabases.postgres();
    }

    @Test
    void aCommitThatFailsLeavesTheOutcomeUnknownSoNeitherHookRunsButResourcesClose(CapturedOutput output) {
        String deferred = this.app.table + "_deferred";
        this.app.jdbc.execute("create table " + deferred + " (name varchar(100), constraint " + deferred
                + "_unique unique (name) deferrable initially deferred)");
        try {
            assertThatExceptionOfType(TransactionSystemException.class)
                .isThrownBy(() -> this.app.transactions.required(() -> {
                    this.app.hooks.onRollback(() -> this.app.journal.add("rollback hook"));
                    this.app.hooks.onCommit(() -> this.app.journal.add("commit hook"));
                    this.app.connections.open("cursor");
                    this.app.jdbc.update("insert into " + deferred + " (name) values ('same')");
                    this.app.jdbc.update("insert into " + deferred + " (name) values ('same')");
                    this.app.journal.add("violation deferred to the commit");
                }));
            assertThat(this.app.journal.events()).containsExactly("violation deferred to the commit", "close cursor");
            assertThat(this.app.listener.suppressed)
                .containsExactly("TransactionHooks.outcomeUnknown IllegalStateException hook-failed");
            assertThat(output).contains("its 1 rollback hook(s) and 1 commit hook(s) were not run");
        }
        finally {
            this.app.jdbc.execute("drop table " + deferred);
        }
    }

}
