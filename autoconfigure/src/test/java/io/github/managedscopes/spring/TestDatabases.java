package io.github.managedscopes.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The databases the transaction tests run on: H2 in memory everywhere, PostgreSQL when it is
 * there, and required when {@code CI=true}. PostgreSQL is found through libpq's variables
 * {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER} and {@code PGPASSWORD}
 * (which {@code .ci/run} sets), by default 127.0.0.1:5432, database {@code test}, user
 * {@code postgres} without a password.
 */
final class TestDatabases {

    static final String POSTGRES_URL = "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":"
            + env("PGPORT", "5432") + "/" + env("PGDATABASE", "test") + "?connectTimeout=5";

    static final String POSTGRES_USER = env("PGUSER", "postgres");

    private static final String POSTGRES_PASSWORD = env("PGPASSWORD", "");

    private TestDatabases() {
    }

    static HikariDataSource h2() {
        return pool("jdbc:h2:mem:managed_scopes_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /**
     * A pool on the local PostgreSQL; when it cannot be reached, fails if {@code CI=true} and
     * aborts otherwise ({@link PostgresAvailable} has then skipped the tests already).
     */
    static HikariDataSource postgres() {
        String unreachable = postgresUnreachable();
        if (unreachable != null) {
            if (required()) {
                throw new IllegalStateException(unreachable);
            }
            Assumptions.abort(unreachable);
        }
        return pool(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD);
    }

    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Why PostgreSQL cannot be used, saying how to make it usable, or {@code null} if it can.
     */
    static @Nullable String postgresUnreachable() {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD)) {
            connection.isValid(5);
            return null;
        }
        catch (SQLException ex) {
            return "PostgreSQL is not reachable at " + POSTGRES_URL + " as user '" + POSTGRES_USER + "' ("
                    + ex.getMessage() + "). To run these tests, start PostgreSQL on 127.0.0.1:5432 with a database 'test' that user "
                    + "'postgres' may use without a password, or point PGHOST, PGPORT, PGDATABASE, PGUSER and "
                    + "PGPASSWORD at one (.ci/run does both); with CI=true they are required.";
        }
    }

    /**
     * Skips a test class, with the reason and how to enable it, when PostgreSQL is not reachable
     * and {@code CI} is not {@code true}; with {@code CI=true} the class runs and fails instead.
     */
    static final class PostgresAvailable implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String unreachable = postgresUnreachable();
            if (unreachable == null || required()) {
                return ConditionEvaluationResult.enabled("PostgreSQL is reachable, or required by CI=true");
            }
            System.err.println("SKIPPED " + context.getDisplayName() + ": " + unreachable);
            return ConditionEvaluationResult.disabled(unreachable);
        }

    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isEmpty()) ? fallback : value;
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setPoolName("managed-scopes-tx-tests");
        return new HikariDataSource(config);
    }

}
