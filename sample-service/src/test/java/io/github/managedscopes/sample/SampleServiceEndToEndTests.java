package io.github.managedscopes.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.managedscopes.test.CheckManagedScopes;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample service, started on a random port and driven over HTTP: responses, files on
 * disk, rows in the database and the meters afterwards. {@link CheckManagedScopes} fails any
 * test after which a scope stays active or a resource open (README, "Tests that fail on a leak").
 */
@CheckManagedScopes(awaitUnwindMillis = 10_000)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.sweep-interval=PT0.2S")
abstract class SampleServiceEndToEndTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    /**
     * Gives a test class directories of its own: each subclass's context (H2, PostgreSQL) runs
     * its own spool sweeper, which must not sweep, nor count, the other's files.
     * @param registry where to add the properties
     * @param root the class's own directory
     */
    static void directories(DynamicPropertyRegistry registry, Path root) {
        registry.add("sample.storage", () -> root.resolve("documents").toString());
        registry.add("sample.spool", () -> root.resolve("spool").toString());
    }

    /**
     * The directory {@link #directories} gave this test class.
     * @return the directory
     */
    abstract Path root();

    @Test
    void anUploadStoresTheFileAndTheRow() throws Exception {
        String name = uniqueName();
        HttpResponse<String> response = upload(name, "hello");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"name\":\"" + name + "\"").contains("\"sizeBytes\":5");
        assertThat(rows(name)).isEqualTo(1);
        Path stored = Path.of(this.jdbc.queryForObject("select stored_path from documents where name = ?",
                String.class, name));
        assertThat(stored).startsWith(root().resolve("documents")).hasContent("hello");
    }

    @Test
    void aDuplicateUploadRollsBackAndItsRollbackHookDeletesTheFile() throws Exception {
        String name = uniqueName();
        assertThat(upload(name, "first").statusCode()).isEqualTo(201);
        long files = storedFiles();
        HttpResponse<String> duplicate = upload(name, "second");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertProblem(duplicate, "Duplicate document");
        assertThat(storedFiles()).isEqualTo(files);
        assertThat(rows(name)).isEqualTo(1);
    }

    @Test
    void theReportStreamsEveryDocumentAndClosesItsCursorAndSpoolFile() throws Exception {
        String first = uniqueName();
        String second = uniqueName();
        upload(first, "a");
        upload(second, "b");
        HttpResponse<String> report = get("/reports/documents.csv");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).startsWith("id,name,size_bytes,created_at\n")
            .contains("\"" + first + "\"")
            .contains("\"" + second + "\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> spoolFiles() == 0);
    }

    @Test
    void theReportClosesItsResourcesWhenTheClientDisconnects() throws Exception {
        upload(uniqueName(), "a");
        // The upload's scope may still unwind after its response reached the client.
        await().atMost(Duration.ofSeconds(10)).until(() -> openResources() == 0);
        try (Socket socket = new Socket("127.0.0.1", this.port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /reports/documents.csv?copies=1000&pauseMillis=20 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read(new byte[4096])).isPositive();
            assertThat(spoolFiles()).isEqualTo(1);
            assertThat(openResources()).isEqualTo(2);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> spoolFiles() == 0 && openResources() == 0);
    }

    @Test
    void theChecksumIsComputedByAnAsyncMethodHoldingALease() throws Exception {
        HttpResponse<String> uploaded = upload(uniqueName(), "checksum me");
        String id = uploaded.body().replaceAll(".*\"id\":(\\d+).*", "$1");
        HttpResponse<String> checksum = get("/documents/" + id + "/checksum");
        assertThat(checksum.statusCode()).isEqualTo(200);
        String expected = HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest("checksum me".getBytes(StandardCharsets.UTF_8)));
        assertThat(checksum.body()).contains(expected);
    }

    @Test
    void aSwallowedCloseFailureIsCounted() throws Exception {
        double before = meter("managedscopes_exceptions_suppressed_total", "flaky-connection");
        assertThat(get("/demo/flaky").statusCode()).isEqualTo(200);
        // the response can reach the client a moment before its request's stack has unwound
        await().atMost(Duration.ofSeconds(10))
            .until(() -> meter("managedscopes_exceptions_suppressed_total", "flaky-connection") == before + 1);
    }

    @Test
    void theLoadHarnessEndpointsAnswerAndTheManagedOneRegistersItsThreeBuffers() throws Exception {
        double before = meter("managedscopes_resources_held_seconds_count", "bench-third");
        for (String path : List.of("/bench/plain", "/bench/managed", "/bench/untouched")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo("sum=384\n");
        }
        await().atMost(Duration.ofSeconds(10))
            .until(() -> meter("managedscopes_resources_held_seconds_count", "bench-third") == before + 1);
    }

    @Test
    void aSlowResourceIsListedByTheEndpointWhileItIsOpen() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = this.http.sendAsync(request("/demo/slow?seconds=2"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5))
            .until(() -> get("/actuator/managedscopes").body().contains("slow-export"));
        assertThat(slow.get().statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> !get("/actuator/managedscopes").body().contains("slow-export"));
    }

    @Test
    void theScheduledSweeperDeletesStaleSpoolFiles() throws Exception {
        Path stale = Files.createTempFile(Files.createDirectories(root().resolve("spool")), "export-", ".csv");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(stale));
    }

    @Test
    void everyMetricTheDashboardAndAlertRulesUseExistsInAScrape() throws Exception {
        upload(uniqueName(), "x");
        get("/demo/flaky");
        Set<String> scraped = scrape().stream()
            .filter((line) -> line.startsWith("managedscopes_"))
            .map((line) -> line.replaceAll("[{ ].*", ""))
            .collect(Collectors.toSet());
        Path observability = Path.of(System.getProperty("user.dir")).resolve("../observability").normalize();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(observability)) {
            for (Path file : files.filter((path) -> path.toString().matches(".*\\.(json|yml|yaml)$")).toList()) {
                Matcher names = Pattern.compile("managedscopes_[a-z_]+").matcher(Files.readString(file));
                while (names.find()) {
                    used.add(names.group());
                }
            }
        }
        assertThat(used).as("metric names in %s", observability)
            .contains("managedscopes_resources_open", "managedscopes_resources_leaked_total",
                    "managedscopes_exceptions_suppressed_total");
        assertThat(scraped).containsAll(used);
    }

    @Test
    void badInputGetsAProblemAndLeavesNoFileAndNoRow() throws Exception {
        long files = storedFiles();
        long rows = this.jdbc.queryForObject("select count(*) from documents", Long.class);
        assertBadRequest(send(HttpRequest.newBuilder(uri("/documents"))
            .POST(HttpRequest.BodyPublishers.ofString("no name"))), 400, "'name'");
        assertBadRequest(send(HttpRequest.newBuilder(uri("/documents?name=" + uniqueName()))
            .POST(HttpRequest.BodyPublishers.noBody())), 400, "The document must not be empty");
        assertBadRequest(send(HttpRequest.newBuilder(uri("/documents?name=" + uniqueName()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024 + 1]))), 413,
                "Documents may be at most");
        assertBadRequest(get("/documents/999999999"), 404, "No document has id 999999999");
        assertBadRequest(get("/documents/not-a-number"), 400, "'id'");
        assertBadRequest(get("/documents/999999999/checksum"), 404, "No document has id 999999999");
        assertBadRequest(get("/reports/documents.csv?copies=0"), 400, "'copies'");
        assertBadRequest(get("/demo/slow?seconds=0"), 400, "'seconds'");
        assertThat(storedFiles()).isEqualTo(files);
        assertThat(this.jdbc.queryForObject("select count(*) from documents", Long.class)).isEqualTo(rows);
        assertThat(openResources()).isZero();
    }

    private void assertBadRequest(HttpResponse<String> response, int status, String culprit) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(status);
        assertProblem(response, null);
        assertThat(response.body()).as("the problem's detail names the culprit").contains(culprit);
    }

    private static void assertProblem(HttpResponse<String> response, String title) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + response.statusCode());
        if (title != null) {
            assertThat(response.body()).contains("\"title\":\"" + title + "\"");
        }
    }

    private double openResources() throws IOException, InterruptedException {
        return scrape().stream()
            .filter((line) -> line.startsWith("managedscopes_resources_open{"))
            .mapToDouble(SampleServiceEndToEndTests::value)
            .sum();
    }

    private double meter(String name, String resource) throws IOException, InterruptedException {
        return scrape().stream()
            .filter((line) -> line.startsWith(name + "{") && line.contains("resource=\"" + resource + "\""))
            .mapToDouble(SampleServiceEndToEndTests::value)
            .sum();
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private List<String> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().toList();
    }

    private int rows(String name) {
        return this.jdbc.queryForObject("select count(*) from documents where name = ?", Integer.class, name);
    }

    private long storedFiles() throws IOException {
        return count(root().resolve("documents"));
    }

    private long spoolFiles() throws IOException {
        return count(root().resolve("spool"));
    }

    private static long count(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    private HttpResponse<String> upload(String name, String content) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/documents?name=" + name))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofString(content)));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return this.http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private static String uniqueName() {
        return "doc-" + UUID.randomUUID();
    }

    static Path createRoot(String name) {
        try {
            return Files.createTempDirectory("managed-scopes-sample-" + name + "-test");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
