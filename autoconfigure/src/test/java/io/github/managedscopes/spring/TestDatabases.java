package io.github.managedscopes.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the transaction tests run on: H2 in memory everywhere, PostgreSQL when it is
 * there, and required when {@code CI=true}.
 */
final class TestDatabases {

    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5";

    static final String POSTGRES_USER = "postgres";

    private TestDatabases() {
    }

    static HikariDataSource h2() {
        return pool("jdbc:h2:mem:managed_scopes_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1", "sa");
    }

    /**
     * A pool on the local PostgreSQL; when it cannot be reached, fails if {@code CI=true} and
     * aborts the tests (skipped, saying how to run them) otherwise.
     */
    static HikariDataSource postgres() {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
            connection.isValid(5);
        }
        catch (SQLException ex) {
            String message = "PostgreSQL is not reachable at " + POSTGRES_URL + " as user '" + POSTGRES_USER + "' ("
                    + ex.getMessage() + "). To run these tests, start PostgreSQL on 127.0.0.1:5432 with trust "
                    + "authentication and a database 'test' (or run .ci/run, which does); with CI=true they are "
                    + "required.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message, ex);
            }
            Assumptions.abort(message);
        }
        return pool(POSTGRES_URL, POSTGRES_USER);
    }

    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setPoolName("managed-scopes-tx-tests");
        return new HikariDataSource(config);
    }

}
