package io.github.managedscopes.spring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.github.managedscopes.ThrowingRunnable;
import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.autoconfigure.ManagedScopesTransactionAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A small real application for the transaction tests: HikariCP, {@link JdbcTemplate},
 * {@link DataSourceTransactionManager} and {@code @Transactional} services behind Spring
 * proxies, with the managed-scopes auto-configuration. Each instance owns a table of its own.
 */
final class TransactionalApplication implements AutoCloseable {

    final HikariDataSource dataSource;

    final String table;

    final AnnotationConfigApplicationContext context;

    final JdbcTemplate jdbc;

    final Transactions transactions;

    final Ledger ledger;

    final Documents documents;

    final Connections connections;

    final TransactionHooks hooks;

    final Journal journal;

    final RecordingListener listener;

    TransactionalApplication(HikariDataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
        this.context = new AnnotationConfigApplicationContext();
        this.context.registerBean(HikariDataSource.class, () -> dataSource);
        this.context.registerBean(Table.class, () -> new Table(table));
        this.context.register(Config.class);
        this.context.refresh();
        this.jdbc = this.context.getBean(JdbcTemplate.class);
        this.transactions = this.context.getBean(Transactions.class);
        this.ledger = this.context.getBean(Ledger.class);
        this.documents = this.context.getBean(Documents.class);
        this.connections = this.context.getBean(Connections.class);
        this.hooks = this.context.getBean(TransactionHooks.class);
        this.journal = this.context.getBean(Journal.class);
        this.listener = this.context.getBean(RecordingListener.class);
        this.jdbc.execute("create table " + table + " (id int primary key, name varchar(100) not null unique)");
    }

    /** Active connections of the pool: 0 when nothing leaked. */
    int activeConnections() {
        return this.dataSource.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public void close() {
        try {
            this.jdbc.execute("drop table " + this.table);
        }
        finally {
            this.context.close();
            this.dataSource.close();
        }
    }

    record Table(String name) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    @ImportAutoConfiguration({ ManagedScopesAutoConfiguration.class, ManagedScopesTransactionAutoConfiguration.class })
    @Import(RecordingConfiguration.class)
    static class Config {

        @Bean
        DataSourceTransactionManager transactionManager(HikariDataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        JdbcTemplate jdbcTemplate(HikariDataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        Transactions transactions() {
            return new Transactions();
        }

        @Bean
        Ledger ledger(JdbcTemplate jdbc, Table table) {
            return new Ledger(jdbc, table.name());
        }

        @Bean
        Documents documents(Ledger ledger, TransactionHooks hooks) {
            return new Documents(ledger, hooks);
        }

        @Bean
        Connections connections(Journal journal) {
            return new Connections(journal);
        }

    }

    /**
     * Runs a body in a transaction of each propagation, through the transactional proxy.
     */
    static class Transactions {

        @Transactional(rollbackFor = Exception.class)
        public void required(ThrowingRunnable body) throws Exception {
            body.run();
        }

        @Transactional(propagation = Propagation.REQUIRES_NEW, rollbackFor = Exception.class)
        public void requiresNew(ThrowingRunnable body) throws Exception {
            body.run();
        }

        @Transactional(propagation = Propagation.NESTED, rollbackFor = Exception.class)
        public void nested(ThrowingRunnable body) throws Exception {
            body.run();
        }

    }

    /**
     * Rows with a unique name: inserting a name twice violates the unique constraint.
     */
    static class Ledger {

        private static final AtomicInteger ids = new AtomicInteger();

        private final JdbcTemplate jdbc;

        private final String table;

        Ledger(JdbcTemplate jdbc, String table) {
            this.jdbc = jdbc;
            this.table = table;
        }

        void insert(String name) {
            this.jdbc.update("insert into " + this.table + " (id, name) values (?, ?)", ids.incrementAndGet(), name);
        }

        List<String> names(String prefix) {
            return this.jdbc.queryForList("select name from " + this.table + " where name like ? order by id",
                    String.class, prefix + "%");
        }

    }

    /**
     * The classic compensation: a file written during the transaction is deleted if it rolls back.
     */
    static class Documents {

        private final Ledger ledger;

        private final TransactionHooks hooks;

        Documents(Ledger ledger, TransactionHooks hooks) {
            this.ledger = ledger;
            this.hooks = hooks;
        }

        @Transactional
        public Path store(Path directory, String name) throws IOException {
            Path file = Files.writeString(directory.resolve(name + ".txt"), "content of " + name);
            this.hooks.onRollback(() -> Files.deleteIfExists(file));
            this.ledger.insert(name);
            return file;
        }

    }

    /**
     * Resources closed when the surrounding transaction completes.
     */
    static class Connections {

        private final Journal journal;

        Connections(Journal journal) {
            this.journal = journal;
        }

        @ManagedResource(closeAt = CloseAt.TRANSACTION_END)
        public Probe open(String name) {
            return new Probe(name, this.journal);
        }

        @ManagedResource(closeAt = CloseAt.TRANSACTION_END, name = "brokenAtEnd")
        public AutoCloseable broken() {
            return () -> {
                this.journal.add("close broken");
                throw new IllegalStateException("broken close");
            };
        }

    }

}
