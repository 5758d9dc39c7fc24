package io.github.managedscopes.sample;

import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The end-to-end tests with the {@code postgres} profile, against PostgreSQL on
 * 127.0.0.1:5432 (database {@code test}, user {@code postgres}). Required when {@code CI=true};
 * skipped elsewhere when no server is running.
 */
@ActiveProfiles("postgres")
class PostgresEndToEndTests extends SampleServiceEndToEndTests {

    @BeforeAll
    static void postgresIsRunning() {
        boolean reachable = reachable();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(reachable).as("PostgreSQL must run on 127.0.0.1:5432 when CI=true (.ci/run starts it)")
                .isTrue();
        }
        assumeTrue(reachable, "PostgreSQL is not running on 127.0.0.1:5432: start it (database 'test', user "
                + "'postgres') or run .ci/run to include these tests");
    }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            return true;
        }
        catch (Exception ex) {
            return false;
        }
    }

}
