package io.github.managedscopes.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with {@code managed-scopes.enabled=false}, as the load harness runs it for its
 * "without the starter" arm: it starts, and an upload, which needs transaction hooks, fails
 * before it writes anything.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "managed-scopes.enabled=false")
class StarterDisabledTests {

    private static final Path STORAGE = createStorage();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("sample.storage", STORAGE::toString);
        registry.add("sample.spool", () -> STORAGE.resolveSibling(STORAGE.getFileName() + "-spool").toString());
    }

    @Test
    void startsAndAnUploadFailsWithoutLeavingAFileBehind() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> untouched = http.send(HttpRequest.newBuilder(uri("/bench/untouched")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(untouched.statusCode()).isEqualTo(200);
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(uri("/documents?name=no-hooks"))
            .POST(HttpRequest.BodyPublishers.ofString("payload"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(500);
        try (Stream<Path> files = Files.list(STORAGE)) {
            assertThat(files).isEmpty();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private static Path createStorage() {
        try {
            return Files.createTempDirectory("managed-scopes-sample-disabled");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
