package io.github.managedscopes.sample;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped Grafana dashboard and Prometheus alert rules ({@code observability/}, described
 * in {@code docs/observability.md}) against a real Prometheus server that scrapes two
 * instances of the sample service under a little load: every dashboard query returns data for
 * each instance, the rules load and evaluate, and the leak alert fires for the instance that
 * leaked. Needs {@code /usr/bin/prometheus} ({@code apt-get install -y prometheus}): skipped
 * without it, except with {@code CI=true}, where it fails.
 */
@TestInstance(Lifecycle.PER_CLASS)
class PrometheusScrapeTests {

    private static final Path OBSERVABILITY = Path.of(System.getProperty("user.dir"))
        .resolve("../observability")
        .normalize();

    private static final Path RULES = OBSERVABILITY.resolve("prometheus/managedscopes-alerts.yml");

    private static final Path DASHBOARD = OBSERVABILITY.resolve("grafana/managedscopes-dashboard.json");

    private static final String JOB = "managed-scopes-sample";

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<LocalProcess> instances = new ArrayList<>();

    private final List<String> targets = new ArrayList<>();

    private final ScheduledExecutorService load = Executors.newScheduledThreadPool(2);

    private final Queue<String> loadFailures = new ConcurrentLinkedQueue<>();

    private final AtomicInteger loadRequests = new AtomicInteger();

    private PrometheusServer prometheus;

    @BeforeAll
    void startTwoInstancesUnderLoadAndPrometheusScrapingThem(@TempDir Path directory) throws Exception {
        String binary = PrometheusServer.binary();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String name : List.of("a", "b")) {
            int port = LocalProcess.freePort();
            LocalProcess instance = LocalProcess.start(directory.resolve(name + ".log"), List.of(java, "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), SampleServiceApplication.class.getName(),
                    "--server.port=" + port, "--spring.jmx.enabled=false",
                    "--sample.storage=" + directory.resolve(name + "/documents"),
                    "--sample.spool=" + directory.resolve(name + "/spool"),
                    "--managed-scopes.leak-detection.threshold=2s"));
            this.instances.add(instance);
            String target = "127.0.0.1:" + port;
            await("sample service " + name + " up on " + target + ", " + instance).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(250))
                .failFast("sample service " + name + " exited: " + instance, () -> !instance.isAlive())
                .until(() -> healthy(target));
            this.targets.add(target);
            this.load.scheduleWithFixedDelay(() -> exercise(target), 0, 250, TimeUnit.MILLISECONDS);
        }
        this.prometheus = PrometheusServer.start(binary, Files.createDirectories(directory.resolve("prometheus")), JOB,
                this.targets, List.of(RULES));
        await("both targets up").atMost(PATIENCE)
            .untilAsserted(() -> assertThat(this.prometheus.query("up{job=\"" + JOB + "\"} == 1"))
                .as("targets up; Prometheus log:%n%s", this.prometheus.logTail())
                .hasSize(2));
    }

    @AfterAll
    void stop() throws Exception {
        this.load.shutdownNow();
        this.load.awaitTermination(10, TimeUnit.SECONDS);
        if (this.prometheus != null) {
            this.prometheus.close();
        }
        for (LocalProcess instance : this.instances) {
            instance.close();
        }
    }

    @Test
    void theShippedAlertRulesLoadAndEvaluateWithoutError() throws Exception {
        List<String> shipped = matches(Pattern.compile("^\\s*- alert: (\\S+)\\s*$", Pattern.MULTILINE),
                Files.readString(RULES));
        assertThat(shipped).containsExactlyInAnyOrder("ManagedScopesResourceLeaked",
                "ManagedScopesSuppressedExceptionsRising", "ManagedScopesOpenResourcesNotReturningToZero",
                "ManagedScopesScopeStuck");
        await("every shipped rule evaluated").atMost(PATIENCE).untilAsserted(() -> {
            List<String> loaded = new ArrayList<>();
            for (JsonNode group : this.prometheus.api("rules").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    assertThat(rule.path("health").asString()).as("health of %s: %s", rule.path("name"),
                            rule.path("lastError")).isEqualTo("ok");
                    loaded.add(rule.path("name").asString());
                }
            }
            assertThat(loaded).containsExactlyElementsOf(shipped);
        });
    }

    @Test
    void everyDashboardQueryReturnsDataForEachInstance() throws Exception {
        Dashboard dashboard = Dashboard.read(DASHBOARD);
        assertThat(dashboard.queries()).as("panel queries of %s", DASHBOARD).hasSizeGreaterThanOrEqualTo(6);
        await("the dashboard's variables list both instances").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(labelValues("job", dashboard.variableQuery("job"))).contains(JOB);
            assertThat(labelValues("instance", dashboard.variableQuery("instance").replace("$job", JOB)))
                .containsAll(this.targets);
        });
        for (String instance : this.targets) {
            Map<String, String> variables = Map.of("job", regex(JOB), "instance", regex(instance),
                    "__rate_interval", "20s");
            for (Map.Entry<String, String> panel : dashboard.queries().entrySet()) {
                String promql = Dashboard.substitute(panel.getValue(), variables);
                await("panel '" + panel.getKey() + "' for " + instance).atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(this.prometheus.query(promql))
                        .as("result of %s", promql)
                        .isNotEmpty());
            }
        }
        assertThat(this.loadFailures).as("load requests that failed").isEmpty();
        assertThat(this.loadRequests).hasPositiveValue();
    }

    @Test
    void theLeakAlertFiresForTheInstanceThatHeldAResourcePastTheThreshold() throws Exception {
        String leaking = this.targets.get(0);
        // A first, short hold creates the instance's slow-export leak counter at 0 ...
        assertThat(get(leaking, "/demo/slow?seconds=1").statusCode()).isEqualTo(200);
        String counter = "managedscopes_resources_leaked_total{resource=\"slow-export\", reason=\"threshold\", "
                + "instance=\"" + leaking + "\"}";
        await("Prometheus scraped the leak counter at 0").atMost(PATIENCE)
            .untilAsserted(() -> assertThat(this.prometheus.query(counter + " == 0")).hasSize(1));
        assertThat(alerts("ManagedScopesResourceLeaked")).as("leak alerts before the leak").isEmpty();

        // ... then a hold of 4 s passes the 2 s threshold: one leak, which the shipped rule turns into an alert.
        CompletableFuture<HttpResponse<String>> slow = this.http.sendAsync(request(leaking, "/demo/slow?seconds=4"),
                HttpResponse.BodyHandlers.ofString());
        await("the leak alert fires").atMost(PATIENCE).untilAsserted(() -> {
            List<JsonNode> firing = alerts("ManagedScopesResourceLeaked");
            assertThat(firing).hasSize(1);
            JsonNode labels = firing.get(0).path("labels");
            assertThat(labels.path("instance").asString()).isEqualTo(leaking);
            assertThat(labels.path("resource").asString()).isEqualTo("slow-export");
            assertThat(labels.path("reason").asString()).isEqualTo("threshold");
            assertThat(labels.path("severity").asString()).isEqualTo("warning");
        });
        assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private List<JsonNode> alerts(String name) throws IOException, InterruptedException {
        List<JsonNode> firing = new ArrayList<>();
        for (JsonNode alert : this.prometheus.api("alerts").path("alerts")) {
            if (name.equals(alert.path("labels").path("alertname").asString())
                    && "firing".equals(alert.path("state").asString())) {
                firing.add(alert);
            }
        }
        return firing;
    }

    /** Grafana's {@code label_values(selector, label)}, through Prometheus's series API. */
    private List<String> labelValues(String label, String variableQuery) throws IOException, InterruptedException {
        Matcher call = Pattern.compile("label_values\\((.+), *" + label + "\\)").matcher(variableQuery);
        assertThat(call.matches()).as("variable query %s", variableQuery).isTrue();
        JsonNode values = this.prometheus.api("label/" + label + "/values?match[]="
                + URLEncoder.encode(call.group(1), StandardCharsets.UTF_8));
        List<String> result = new ArrayList<>();
        values.forEach((value) -> result.add(value.asString()));
        return result;
    }

    private boolean healthy(String target) {
        try {
            return get(target, "/actuator/health").statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One round of the little load: an upload, its checksum, the report and a suppressed close failure. */
    private void exercise(String target) {
        try {
            HttpResponse<String> upload = this.http.send(HttpRequest.newBuilder(URI.create("http://" + target
                    + "/documents?name=" + UUID.randomUUID() + ".txt"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("load"))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
            expect(upload, 201);
            Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(upload.body());
            if (id.find()) {
                expect(get(target, "/documents/" + id.group(1) + "/checksum"), 200);
            }
            expect(get(target, "/reports/documents.csv"), 200);
            expect(get(target, "/demo/flaky"), 200);
        }
        catch (IOException ex) {
            this.loadFailures.add(target + ": " + ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void expect(HttpResponse<String> response, int status) {
        this.loadRequests.incrementAndGet();
        if (response.statusCode() != status) {
            this.loadFailures.add(response.request().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    private HttpResponse<String> get(String target, String path) throws IOException, InterruptedException {
        return this.http.send(request(target, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String target, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + target + path)).timeout(Duration.ofSeconds(30)).build();
    }

    /** {@code value} as a regular expression that matches it only, inside a PromQL string. */
    private static String regex(String value) {
        return value.replaceAll("[.^$*+?()\\[\\]{}|]", "\\\\\\\\$0");
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

}
