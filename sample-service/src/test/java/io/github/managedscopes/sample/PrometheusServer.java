package io.github.managedscopes.sample;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus} from Debian's {@code prometheus}
 * package, or one on the {@code PATH}) on a random loopback port, scraping the given targets
 * every second and evaluating the given rule files every second, with its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalProcess process;

    private final URI api;

    private PrometheusServer(LocalProcess process, int port) {
        this.process = process;
        this.api = URI.create("http://127.0.0.1:" + port + "/");
    }

    /**
     * The Prometheus binary; fails when it is missing and {@code CI=true}, skips the test with
     * how to install it otherwise.
     */
    static String binary() {
        String binary = find();
        if (binary == null) {
            String message = "Prometheus is not installed: run 'apt-get install -y prometheus' (Debian/Ubuntu) to run "
                    + "the tests that scrape the sample service with a real Prometheus server";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true requires them");
            }
            assumeTrue(false, message);
        }
        return binary;
    }

    /**
     * Starts Prometheus in {@code directory} scraping {@code /actuator/prometheus} of each target
     * ({@code host:port}) as job {@code job}, and waits until it is ready.
     */
    static PrometheusServer start(String binary, Path directory, String job, List<String> targets,
            List<Path> ruleFiles) throws IOException {
        String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n" + ruleFiles.stream()
                    .map((file) -> "  - '" + file.toAbsolutePath() + "'\n")
                    .collect(Collectors.joining())
                + "scrape_configs:\n  - job_name: '" + job + "'\n    metrics_path: /actuator/prometheus\n"
                + "    static_configs:\n      - targets: [" + targets.stream()
                    .map((target) -> "'" + target + "'")
                    .collect(Collectors.joining(", "))
                + "]\n";
        Path configFile = Files.writeString(directory.resolve("prometheus.yml"), config);
        int port = LocalProcess.freePort();
        LocalProcess process = LocalProcess.start(directory.resolve("prometheus.log"), List.of(binary,
                "--config.file=" + configFile, "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        PrometheusServer server = new PrometheusServer(process, port);
        await("Prometheus ready on port " + port).atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .failFast("Prometheus exited: " + process, () -> !process.isAlive())
            .until(server::ready);
        return server;
    }

    /** The {@code data} of a GET of {@code /api/v1/<path>}, after asserting its status is success. */
    JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(this.api.resolve("api/v1/" + path))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asString()).as("GET /api/v1/%s: %s", path, response.body())
            .isEqualTo("success");
        return body.path("data");
    }

    /** The result vector of an instant PromQL query. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** The last lines Prometheus logged, for failure messages. */
    String logTail() {
        return this.process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        this.process.close();
    }

    private boolean ready() {
        try {
            return this.http.send(HttpRequest.newBuilder(this.api.resolve("-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static @Nullable String find() {
        if (new File("/usr/bin/prometheus").canExecute()) {
            return "/usr/bin/prometheus";
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, "prometheus");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

}
