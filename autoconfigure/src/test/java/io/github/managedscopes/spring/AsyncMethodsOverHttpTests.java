package io.github.managedscopes.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.managedscopes.spring.AsyncMethodScopesTests.Endings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Asynchronous {@code @ManagedScope} and {@code @ManagedResource} methods behind a real
 * Tomcat: the scope of a method returning a future lasts until the future completes, and a
 * resource that arrives after its request ended is closed at once and counted.
 */
@SpringBootTest(classes = AsyncMethodsOverHttpTests.Application.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=servlet")
class AsyncMethodsOverHttpTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private Journal journal;

    @Autowired
    private Endings endings;

    @Autowired
    private Gates gates;

    @BeforeEach
    void clear() {
        this.journal.clear();
        this.endings.endings.clear();
        this.endings.late.clear();
        this.gates.reset();
    }

    @Test
    void aFutureMethodKeepsItsResourcesOpenForItsAsyncWorkAndClosesThemWhenItCompletes() throws Exception {
        CompletableFuture<HttpResponse<String>> response = getAsync("/report");
        this.journal.awaitEvent("report started");
        assertThat(this.journal.events()).doesNotContain("close report");

        this.gates.report.complete(null);
        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(response.get().body()).isEqualTo("report written");
        await().until(() -> this.endings.endings.contains("method false returned"));
        assertThat(this.journal.events()).containsExactly("report started", "use report", "close report");
        // the request never touched a stack of its own, so only the method's scope was opened
        assertThat(this.endings.endings).containsExactly("method false returned");
    }

    @Test
    void aFutureMethodUnwindsWithTheFuturesFailureInFlight() throws Exception {
        CompletableFuture<HttpResponse<String>> response = getAsync("/report-fails");
        this.journal.awaitEvent("report started");
        this.gates.report.complete(null);

        assertThat(response.get().statusCode()).isEqualTo(500);
        await().until(() -> this.journal.events().contains("close report"));
        assertThat(this.journal.events()).containsExactly("report started", "compensate report", "close report");
        await().until(() -> this.endings.endings.contains("method true threw"));
    }

    @Test
    void aResourceArrivingAfterItsRequestEndedIsClosedAtOnceAndCounted() throws Exception {
        HttpResponse<String> response = getAsync("/late").get();
        assertThat(response.statusCode()).isEqualTo(200);
        await().until(() -> this.endings.endings.contains("request false completed"));

        this.gates.late.complete(null);
        this.journal.awaitEvent("close late");
        assertThat(this.journal.events()).containsExactly("close late");
        assertThat(this.endings.late).containsExactly("Resources.openLater");
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return this.http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Endings endings() {
            return new Endings();
        }

        @Bean
        Gates gates() {
            return new Gates();
        }

        @Bean
        AsyncMethodScopesTests.Resources resources(Journal journal) {
            return new AsyncMethodScopesTests.Resources(journal);
        }

        @Bean
        Reports reports(AsyncMethodScopesTests.Resources resources, Journal journal, Gates gates) {
            return new Reports(resources, journal, gates);
        }

        @Bean
        ReportController reportController(Reports reports, AsyncMethodScopesTests.Resources resources,
                Gates gates) {
            return new ReportController(reports, resources, gates);
        }

    }

    /** What the asynchronous work waits for, completed by the tests. */
    static class Gates {

        volatile CompletableFuture<Void> report = new CompletableFuture<>();

        volatile CompletableFuture<Void> late = new CompletableFuture<>();

        void reset() {
            this.report = new CompletableFuture<>();
            this.late = new CompletableFuture<>();
        }

    }

    static class Reports {

        private final AsyncMethodScopesTests.Resources resources;

        private final Journal journal;

        private final Gates gates;

        Reports(AsyncMethodScopesTests.Resources resources, Journal journal, Gates gates) {
            this.resources = resources;
            this.journal = journal;
            this.gates = gates;
        }

        @ManagedScope
        public CompletableFuture<String> write(boolean fail) {
            Probe probe = this.resources.open("report");
            ManagedScopes.current().onFailure(() -> this.journal.add("compensate report"));
            this.journal.add("report started");
            return this.gates.report.thenApplyAsync((ignored) -> {
                if (fail) {
                    throw new IllegalStateException("report failed");
                }
                probe.use();
                return "report written";
            });
        }

    }

    @RestController
    static class ReportController {

        private final Reports reports;

        private final AsyncMethodScopesTests.Resources resources;

        private final Gates gates;

        ReportController(Reports reports, AsyncMethodScopesTests.Resources resources, Gates gates) {
            this.reports = reports;
            this.resources = resources;
            this.gates = gates;
        }

        @GetMapping("/report")
        CompletableFuture<String> report() {
            return this.reports.write(false);
        }

        @GetMapping("/report-fails")
        CompletableFuture<String> reportFails() {
            return this.reports.write(true);
        }

        @GetMapping("/late")
        String late() {
            CompletionStage<Probe> opening = this.resources.openLater("late", this.gates.late);
            return (opening != null) ? "opening" : "none";
        }

    }

}
