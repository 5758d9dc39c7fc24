package io.github.managedscopes.sample;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The end-to-end tests with the {@code postgres} profile, against the PostgreSQL that libpq's
 * variables {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER} and
 * {@code PGPASSWORD} name ({@code .ci/run} sets them), by default the profile's own
 * 127.0.0.1:5432, database {@code test}, user {@code postgres}. Required when {@code CI=true};
 * skipped elsewhere when the database cannot be logged in to.
 */
@ActiveProfiles("postgres")
class PostgresEndToEndTests extends SampleServiceEndToEndTests {

    private static final String URL = "jdbc:postgresql://" + env("PGHOST", "127.0.0.1") + ":" + env("PGPORT", "5432")
            + "/" + env("PGDATABASE", "test");

    private static final String USER = env("PGUSER", "postgres");

    private static final String PASSWORD = env("PGPASSWORD", "");

    private static final Path ROOT = createRoot("postgres");

    @Override
    Path root() {
        return ROOT;
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        directories(registry, ROOT);
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }

    @BeforeAll
    static void postgresIsRunning() {
        String unreachable = unreachable();
        if (unreachable != null && "true".equals(System.getenv("CI"))) {
            fail(unreachable + "; CI=true requires these tests (.ci/run prepares the database)");
        }
        assumeTrue(unreachable == null, () -> unreachable + ": start PostgreSQL with a database 'test' that user "
                + "'postgres' may use without a password, set PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD, "
                + "or run .ci/run to include these tests");
    }

    private static @Nullable String unreachable() {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=2", USER, PASSWORD)) {
            return connection.isValid(2) ? null : "PostgreSQL at " + URL + " does not answer";
        }
        catch (SQLException ex) {
            return "cannot log in to PostgreSQL at " + URL + " as '" + USER + "' (" + ex.getMessage() + ")";
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return (value == null || value.isEmpty()) ? fallback : value;
    }

}
