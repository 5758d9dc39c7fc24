package io.github.managedscopes.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped Prometheus alert rules, checked and unit-tested by Prometheus's own
 * {@code promtool}: each alert fires on the series that should fire it and stays quiet on
 * the others. With {@code CI=true} a missing promtool fails the build.
 */
class AlertRulesTests {

    private static final Path RULES = Path.of(System.getProperty("user.dir"))
        .resolve("../observability/prometheus")
        .normalize();

    private static String promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = onPath("promtool");
        if (promtool == null) {
            String message = "promtool is not installed: run 'apt-get install -y prometheus' (Debian/Ubuntu) to run "
                    + "the alert rule tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true requires them");
            }
            assumeTrue(false, message);
        }
    }

    @Test
    void theRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "managedscopes-alerts.yml")).contains("SUCCESS: 4 rules found");
    }

    @Test
    void eachAlertFiresAndStaysQuietWhereItsUnitTestsSay() throws Exception {
        assertThat(promtool("test", "rules", "managedscopes-alerts-test.yml")).contains("SUCCESS");
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(promtool));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s exit code; output:%n%s", String.join(" ", arguments), output)
            .isZero();
        return output;
    }

    private static String onPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, name);
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

}
