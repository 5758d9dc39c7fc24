package io.github.managedscopes.spring.reactive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.github.managedscopes.AsyncCloseable;
import io.github.managedscopes.AsyncExitStack;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The exchange scope over a real Reactor Netty server: every exchange's stack unwinds once,
 * last-in first-out, after the response was written, with the failure in flight (see
 * {@code docs/webflux.md}).
 */
@SpringBootTest(classes = ReactiveScopeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=reactive")
class ExchangeScopeIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ReactiveJournal journal;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ReactiveScopeTestApplication.ScopeController controller;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        this.journal.clear();
        this.client = WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + this.port)
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    }

    @Test
    void monoEndpointClosesItsResourcesOnceInReverseOrderAfterTheBody() {
        this.client.get().uri("/mono").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("mono body");
        this.journal.awaitEvent("exit saw nothing");
        assertThat(this.journal.events()).containsExactly("body ready", "closed b", "closed a", "exit saw nothing");
    }

    @Test
    void fluxEndpointFindsTheStackInTheReactorContextAndClosesItAfterTheLastElement() {
        this.client.get().uri("/flux").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("1\n2\n3\n");
        this.journal.awaitEvent("exit saw nothing");
        assertThat(this.journal.events()).containsExactly("body complete", "closed c", "closed b", "closed a",
                "exit saw nothing");
    }

    @Test
    void serverSentEventsCloseTheirResourcesOnceTheStreamEnds() {
        this.client.get()
            .uri("/sse/finite")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .value((body) -> assertThat(body).contains("tick 0", "tick 1", "tick 2"));
        this.journal.awaitEvent("exit saw nothing");
        assertThat(this.journal.events()).containsExactly("body complete", "closed b", "closed a", "exit saw nothing");
    }

    @Test
    void theResponseDoesNotWaitForTheUnwind() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        this.controller.release.set(release);
        this.client.get()
            .uri("/slow-close")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .isEqualTo("written before the close completes");
        this.journal.awaitEvent("closing slow");
        assertThat(this.journal.events()).doesNotContain("closed slow");
        release.complete(null);
        this.journal.awaitEvent("closed slow");
    }

    @Test
    void anErrorInThePipelineIsInFlightWhenTheScopeEnds() {
        this.client.get().uri("/error").exchange().expectStatus().is5xxServerError();
        this.journal.awaitEvent("exit saw IllegalStateException");
        assertThat(this.journal.lastExitFailure()).hasMessage("pipeline failed");
        assertThat(this.journal.events()).containsExactly("closed a", "exit saw IllegalStateException");
    }

    @Test
    void anErrorAnExceptionHandlerTurnedIntoAResponseIsStillInFlight() {
        this.client.get().uri("/handled").exchange().expectStatus().isEqualTo(409).expectBody(String.class)
            .isEqualTo("handled");
        this.journal.awaitEvent("exit saw HandledException");
        assertThat(this.journal.lastExitFailure()).isInstanceOf(ReactiveScopeTestApplication.HandledException.class);
    }

    @Test
    void anExchangeThatNeverTouchesItsStackPublishesNone() {
        this.client.get().uri("/untouched").exchange().expectStatus().isOk();
        assertThat(this.journal.events()).isEmpty();
    }

    @Test
    void theExchangeAttributesCarryTheSameStack() {
        this.client.get().uri("/exchange-attribute").exchange().expectBody(String.class).isEqualTo("true");
    }

    @Test
    void theExchangeAttributesCarryTheStackOfAFunctionalEndpoint() {
        this.client.get().uri("/functional/attribute").exchange().expectBody(String.class).isEqualTo("true");
        this.journal.awaitEvent("exit saw nothing");
        assertThat(this.journal.events()).containsExactly("closed f", "exit saw nothing");
    }

    @Test
    void theErrorOfAFunctionalEndpointIsInFlightWhenTheScopeEnds() {
        this.client.get().uri("/functional/error").exchange().expectStatus().is5xxServerError();
        this.journal.awaitEvent("exit saw IllegalStateException");
        assertThat(this.journal.lastExitFailure()).hasMessage("functional endpoint failed");
    }

    @Test
    void anOpenedEmptyScopeIsStillSealedAndALateRegistrationIsRefusedAndClosed() {
        this.client.get().uri("/empty").exchange().expectStatus().isOk();
        AsyncExitStack stack = this.controller.captured.get();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            AsyncCloseable late = () -> {
                closed.complete(null);
                return closed;
            };
            assertThatIllegalStateException().isThrownBy(() -> stack.registerAsync(late))
                .withMessageContaining("the request scope of GET /empty")
                .withMessageContaining("closed at once");
            assertThat(closed).isDone();
        });
    }

    @Test
    void aClientThatResetsTheConnectionMidStreamEndsTheScopeWithTheFailure() throws IOException {
        try (Socket socket = openStream("/sse")) {
            socket.setSoLinger(true, 0);
        }
        assertEndedByTheClientLeaving("GET /sse");
    }

    @Test
    void aClientThatClosesTheConnectionMidStreamEndsTheScopeWithTheFailure() throws IOException {
        Socket socket = openStream("/sse");
        socket.close();
        assertEndedByTheClientLeaving("GET /sse");
    }

    @Test
    void aResourceThatArrivesAfterTheClientLeftIsClosedAtOnce() throws IOException {
        CompletableFuture<Void> arrival = new CompletableFuture<>();
        this.controller.arrival.set(arrival);
        try (Socket socket = new Socket("localhost", this.port)) {
            request(socket, "/late");
            this.journal.awaitEvent("watching");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.journal.eventsStartingWith("exit saw").isEmpty());
        assertThat(this.journal.lastExitFailure()).isInstanceOf(CancellationException.class)
            .hasMessageContaining("GET /late");
        arrival.complete(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.journal.events().contains("closed late"));
        assertThat(this.journal.eventsStartingWith("late refused: ")).singleElement()
            .asString()
            .contains("the request scope of GET /late");
        assertThat(this.journal.events()).doesNotContain("late registered");
    }

    @Test
    void aManagedResourceMonoRegistersItsValueOnTheExchangesStack() {
        this.client.get().uri("/managed").exchange().expectBody(String.class).isEqualTo("using connection");
        this.journal.awaitEvent("closed connection");
    }

    @Test
    void aManagedResourceThatArrivesAfterTheClientLeftIsClosedAtOnce() throws IOException {
        CompletableFuture<Void> arrival = new CompletableFuture<>();
        this.controller.arrival.set(arrival);
        try (Socket socket = new Socket("localhost", this.port)) {
            request(socket, "/managed-late");
            this.journal.awaitEvent("watching");
            socket.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !this.journal.eventsStartingWith("exit saw").isEmpty());
        assertThat(this.journal.lastExitFailure()).isInstanceOf(CancellationException.class)
            .hasMessageContaining("GET /managed-late");
        assertThat(this.journal.events()).doesNotContain("closed late connection");
        arrival.complete(null);
        this.journal.awaitEvent("closed late connection");
    }

    @Test
    void exchangeScopesReportToTheRequestScopeMeters() throws IOException {
        double completed = scopes("completed", "success");
        double disconnected = scopes("disconnect", "failure");
        double errors = scopes("completed", "failure") + scopes("error", "failure");
        this.client.get().uri("/mono").exchange().expectStatus().isOk();
        this.client.get().uri("/error").exchange().expectStatus().is5xxServerError();
        try (Socket socket = openStream("/sse")) {
            socket.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(scopes("completed", "success")).isEqualTo(completed + 1);
            assertThat(scopes("disconnect", "failure")).isEqualTo(disconnected + 1);
            assertThat(scopes("completed", "failure") + scopes("error", "failure")).isEqualTo(errors + 1);
            assertThat(this.registry.get("managedscopes.scopes.active").tag("kind", "request").gauge().value())
                .isZero();
        });
    }

    private double scopes(String ending, String outcome) {
        Timer timer = this.registry.find("managedscopes.scopes")
            .tags("kind", "request", "ending", ending, "outcome", outcome)
            .timer();
        return (timer != null) ? timer.count() : 0;
    }

    private void assertEndedByTheClientLeaving(String request) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.journal.eventsStartingWith("exit saw").isEmpty());
        assertThat(this.journal.eventsStartingWith("exit saw")).singleElement().isNotEqualTo("exit saw nothing");
        Throwable failure = this.journal.lastExitFailure();
        assertThat(failure).isNotNull();
        if (failure instanceof CancellationException) {
            assertThat(failure).hasMessageContaining(request);
        }
        else {
            assertThat(failure).isInstanceOf(IOException.class);
        }
        assertThat(this.journal.eventsStartingWith("closed ")).containsExactly("closed stream");
    }

    private Socket openStream(String path) throws IOException {
        Socket socket = new Socket("localhost", this.port);
        request(socket, path);
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[1024];
        while (!received.toString().contains("tick 1")) {
            int read = in.read(buffer);
            assertThat(read).as("the stream ended before its second event").isPositive();
            received.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
        }
        return socket;
    }

    private static void request(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

}
