package io.github.managedscopes.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-request CPU timing the load harness reads in its interleaved run
 * ({@code sample.bench.cpu-timing=true}): it counts the {@code /bench} requests made between
 * start and stop, each with the CPU time its thread spent, and nothing outside that window.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.bench.cpu-timing=true")
class RequestCpuTimingTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Test
    void reportsTheRequestsOfEachPathBegunWhileMeasuringWithTheirThreadsCpuTime() throws Exception {
        get("/bench/plain");
        assertThat(post("/bench/cpu/start")).isEqualTo("measuring\n");
        for (int i = 0; i < 3; i++) {
            get("/bench/plain");
            get("/bench/managed");
        }
        get("/bench/managed");
        // A response is sent before its thread is done with the request: wait for the last one.
        List<String> expected = List.of("/bench/managed 4", "/bench/plain 3");
        await().atMost(Duration.ofSeconds(10)).until(() -> counts().equals(expected));
        String measured = post("/bench/cpu/stop");
        get("/bench/plain");
        get("/bench/untouched");
        assertThat(get("/bench/cpu")).isEqualTo(measured);
        assertThat(measured.lines())
            .allSatisfy((line) -> assertThat(Long.parseLong(line.split(" ")[2])).isPositive());
    }

    private List<String> counts() throws Exception {
        return get("/bench/cpu").lines().map((line) -> line.substring(0, line.lastIndexOf(' '))).toList();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private String post(String path) throws Exception {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

}
