package io.github.managedscopes.sample.reactive;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The curls of the README's reactive section, over the real server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleReactiveApplicationTests {

    @LocalServerPort
    int port;

    @Autowired
    FeedLog log;

    @Test
    void aClientThatHangsUpMidStreamClosesItsFeed() throws IOException {
        int closedBefore = this.log.summary().closed();
        try (Socket socket = new Socket("localhost", this.port)) {
            socket.getOutputStream()
                .write("GET /ticks HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[512];
            while (!received.toString().contains("ticks tick 1")) {
                int read = in.read(buffer);
                assertThat(read).as("the stream ended before its first tick").isPositive();
                received.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            socket.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            FeedLog.Summary summary = this.log.summary();
            assertThat(summary.closed()).isEqualTo(closedBefore + 1);
            assertThat(summary.open()).isZero();
            assertThat(summary.events()).anyMatch((event) -> event.startsWith("GET /ticks ended with "
                    + "java.util.concurrent.CancellationException: The client went away before the response to "
                    + "GET /ticks was complete"));
        });
    }

    @Test
    void closesBothFeedsLastInFirstOutAfterTheBody() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
        client.get().uri("/pair").exchange().expectBody(String.class).isEqualTo("first tick 1, second tick 1\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.log.summary().events())
            .containsSubsequence("GET /pair ended cleanly", "second closed after 1 ticks", "first closed after 1 ticks"));
    }

}
