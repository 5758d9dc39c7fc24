package io.github.managedscopes.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.RequestScopeTestApplication.ScopeController;
import io.github.managedscopes.spring.RequestScopeTestApplication.ScopeCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The request's stack over a real Tomcat: it unwinds once, last-in first-out, when the
 * request is really complete, whatever kind of handler served it. The server shuts down at
 * once: a client hanging up mid-stream can make Tomcat drop the request's
 * {@code AsyncContext} (RELIABILITY.md), which leaves its count of asynchronous requests in
 * progress up, and a graceful shutdown would wait its whole time-out for it.
 */
@SpringBootTest(classes = RequestScopeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.task.execution.propagate-context=true", "server.shutdown=immediate" })
class RequestScopeIntegrationTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private Journal journal;

    @Autowired
    private ScopeCounter scopes;

    @Autowired
    private ScopeController controller;

    @BeforeEach
    void clearJournal() {
        this.journal.clear();
        this.scopes.endings.clear();
    }

    @Test
    void closesTheResourcesOfASynchronousRequestOnceInReverseOrderWhenItsDispatchEnds() throws Exception {
        HttpResponse<String> response = get("/sync");
        assertThat(response.statusCode()).isEqualTo(200);
        awaitExit();
        assertThat(this.journal.events()).containsExactly("use a", "use b", "handler returned", "close b",
                "close a", "exit saw nothing");
        awaitEnding("request false completed");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/callable", "/deferred", "/future", "/stream" })
    void keepsResourcesOpenForAsynchronousWorkAndClosesThemOnceInReverseOrderWhenItCompletes(String path)
            throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(path.substring(1));
        awaitExit();
        assertThat(this.journal.events()).containsExactly("first dispatch returned", "use a", "use b", "close b",
                "close a", "exit saw nothing");
    }

    @Test
    void keepsResourcesOpenUntilAnSseEmitterCompletes() throws Exception {
        HttpResponse<String> response = get("/sse");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data:one");
        awaitExit();
        assertThat(this.journal.events()).containsExactly("first dispatch returned", "use a", "close a",
                "exit saw nothing");
    }

    @Test
    void unwindsWithTheHandlersFailureInFlight() throws Exception {
        HttpResponse<String> response = get("/sync-failure");
        assertThat(response.statusCode()).isEqualTo(500);
        awaitExit();
        assertThat(this.journal.events()).containsExactly("close a", "exit saw ServletException");
        assertThat(this.journal.exitFailures().get(0)).rootCause()
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("handler failed");
    }

    @Test
    void unwindsWithTheAsynchronousFailureInFlight() throws Exception {
        HttpResponse<String> response = get("/deferred-failure");
        assertThat(response.statusCode()).isEqualTo(500);
        awaitExit();
        assertThat(this.journal.events()).containsExactly("first dispatch returned", "close a",
                "exit saw IllegalStateException");
        assertThat(this.journal.exitFailures().get(0)).hasMessage("async work failed");
    }

    @Test
    void unwindsWithTheTimeoutInFlightWhenAsynchronousProcessingTimesOut() throws Exception {
        HttpResponse<String> response = get("/deferred-timeout");
        assertThat(response.statusCode()).isEqualTo(503);
        awaitExit();
        assertThat(this.journal.events()).containsExactly("first dispatch returned", "close a",
                "exit saw AsyncRequestTimeoutException");
        assertThat(this.journal.exitFailures().get(0)).isInstanceOf(AsyncRequestTimeoutException.class);
        awaitEnding("request true timeout");
    }

    /** Waits until a scope reported this ending (scopeEnded follows the unwind's last entry). */
    private void awaitEnding(String ending) {
        await().atMost(Duration.ofSeconds(10)).until(() -> this.scopes.endings.contains(ending));
    }

    @Test
    void unwindsWithTheIoFailureInFlightWhenTheClientDisconnects() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", this.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /stream-forever HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            int read = in.read(buffer);
            assertThat(read).isPositive();
            assertThat(this.journal.events()).doesNotContain("close a");
        }
        awaitExit();
        assertThat(this.journal.events()).containsSubsequence("close a").endsWith("exit saw " + this.journal
            .exitFailures()
            .get(0)
            .getClass()
            .getSimpleName());
        assertThat(this.journal.exitFailures().get(0)).isInstanceOf(IOException.class);
        assertThat(this.journal.events()).filteredOn("close a"::equals).hasSize(1);
    }

    @Test
    void refusesLateRegistrationNamingTheScopeAndClosesTheResource() throws Exception {
        int closedBefore = this.scopes.closed("request");
        get("/capture");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.scopes.closed("request") > closedBefore);
        ExitStack captured = this.controller.captured;
        assertThat(captured).isNotNull();
        Probe late = new Probe("late", this.journal);
        assertThatIllegalStateException().isThrownBy(() -> captured.register(late))
            .withMessageContaining("'Probe'")
            .withMessageContaining("the request scope")
            .withMessageContaining("closed at once");
        assertThat(late.closes()).isEqualTo(1);
    }

    @Test
    void createsNoStackForARequestThatNeverTouchesIt() throws Exception {
        int opened = this.scopes.opened("request");
        assertThat(get("/untouched").statusCode()).isEqualTo(200);
        assertThat(this.scopes.opened("request")).isEqualTo(opened);
        assertThat(get("/sync").statusCode()).isEqualTo(200);
        assertThat(this.scopes.opened("request")).isEqualTo(opened + 1);
    }

    @Test
    void keepsTheScopeOpenUntilALeaseClosedFromAnAsyncMethodAndUnwindsItOnce() throws Exception {
        HttpResponse<String> response = get("/lease");
        assertThat(response.statusCode()).isEqualTo(200);
        this.journal.add("response received");
        awaitExit();
        assertThat(this.journal.events()).containsExactly("response received", "use a", "use b", "lease closing",
                "close b", "close a", "exit saw nothing");
    }

    private void awaitExit() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.journal.exitFailures().isEmpty());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Duration.ofSeconds(20))
            .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

}
