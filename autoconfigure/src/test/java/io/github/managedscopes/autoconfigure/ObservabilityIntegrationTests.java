package io.github.managedscopes.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters and the endpoint over a real Tomcat, read the way Prometheus and operators read
 * them: {@code /actuator/prometheus} and {@code /actuator/managedscopes}.
 */
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=prometheus,managedscopes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIntegrationTests {

    private static final Pattern METRIC_NAME = Pattern.compile("managedscopes_[a-z_]+");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Test
    @Order(1)
    void bringsOpenResourcesBackToZeroAfterAThousandRequestsAndCountsEveryInjectedFault() throws Exception {
        for (int i = 0; i < 1000; i++) {
            assertThat(get("/resources?count=3").statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 7; i++) {
            get("/close-during-failure");
        }
        for (int i = 0; i < 5; i++) {
            get("/swallowed");
        }
        for (int i = 0; i < 3; i++) {
            get("/late");
        }
        // A response can reach the client a moment before its request's stack has unwound.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertCounts(scrape()));
    }

    private static void assertCounts(Map<String, Double> samples) {
        assertThat(samples).containsEntry("managedscopes_resources_open{resource=\"connection\"}", 0.0)
            .containsEntry("managedscopes_resources_held_seconds_count{outcome=\"closed\",resource=\"connection\"}",
                    3000.0)
            .containsEntry("managedscopes_exceptions_suppressed_total{exception=\"IOException\","
                    + "reason=\"close-during-failure\",resource=\"report-file\"}", 7.0)
            .containsEntry("managedscopes_resources_held_seconds_count{outcome=\"close-failed\","
                    + "resource=\"report-file\"}", 7.0)
            .containsEntry("managedscopes_exceptions_suppressed_total{exception=\"IllegalArgumentException\","
                    + "reason=\"swallowed\",resource=\"suppress[IllegalArgumentException]\"}", 5.0)
            .containsEntry("managedscopes_resources_leaked_total{reason=\"late-registration\","
                    + "resource=\"late-connection\"}", 3.0)
            .containsEntry("managedscopes_scopes_active{kind=\"request\"}", 0.0)
            .containsEntry("managedscopes_scopes_seconds_count{ending=\"completed\",kind=\"request\",outcome=\"success\"}", 1000.0);
        samples.forEach((name, value) -> {
            if (name.startsWith("managedscopes_resources_open{")) {
                assertThat(value).as(name).isZero();
            }
        });
    }

    @Test
    @Order(2)
    void everyMetricTheDashboardAndTheAlertRulesUseIsInARealScrape() throws Exception {
        get("/close-during-failure");
        get("/late");
        Set<String> scraped = new TreeSet<>();
        scrape().keySet().forEach((sample) -> scraped.add(sample.replaceAll("\\{.*", "")));
        Path observability = Path.of(System.getProperty("user.dir")).resolve("../observability").normalize();
        Set<String> used = new TreeSet<>();
        try (var files = Files.walk(observability)) {
            for (Path file : files.filter((path) -> path.toString().matches(".*\\.(json|yml|yaml)$")).toList()) {
                Matcher names = METRIC_NAME.matcher(Files.readString(file));
                while (names.find()) {
                    used.add(names.group());
                }
            }
        }
        assertThat(used).as("metric names in %s", observability)
            .contains("managedscopes_resources_open", "managedscopes_resources_leaked_total",
                    "managedscopes_exceptions_suppressed_total", "managedscopes_scopes_seconds_bucket");
        assertThat(scraped).containsAll(used);
    }

    @Test
    @Order(3)
    void theEndpointListsAHeldResourceWithItsAgeUntilItCloses() throws Exception {
        assertThat(get("/hold").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DocumentContext report = JsonPath.parse(get("/actuator/managedscopes").body());
            assertThat(report.<Integer>read("$.totals.openResources")).isEqualTo(1);
            assertThat(report.<Integer>read("$.totals.activeScopes")).isEqualTo(1);
            assertThat(report.<String>read("$.scopes[0].kind")).isEqualTo("request");
            assertThat(report.<String>read("$.scopes[0].resources[0].name")).isEqualTo("held-connection");
            assertThat(report.<String>read("$.scopes[0].resources[0].thread")).startsWith("http-nio");
            assertThat(Duration.parse(report.<String>read("$.scopes[0].resources[0].age")))
                .isGreaterThan(Duration.ZERO);
            assertThat(report.<Object>read("$.scopes[0].resources[0].registrationSite")).isNull();
        });
        assertThat(get("/release").statusCode()).isEqualTo(200);
        DocumentContext report = JsonPath.parse(get("/actuator/managedscopes").body());
        assertThat(report.<Integer>read("$.totals.openResources")).isZero();
        assertThat(report.<java.util.List<?>>read("$.scopes")).isEmpty();
    }

    private Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("managedscopes_")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

}
