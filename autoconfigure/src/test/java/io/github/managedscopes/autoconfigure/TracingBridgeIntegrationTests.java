package io.github.managedscopes.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.ManagedScope;
import io.github.managedscopes.spring.ManagedScopes;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.satisfies;
import static org.awaitility.Awaitility.await;

/**
 * Scopes in a real trace (docs/observability.md, "Traces"): Micrometer Tracing's
 * OpenTelemetry bridge turns the observations of a request over a real Tomcat into spans,
 * kept in memory by OpenTelemetry's {@link InMemorySpanExporter}. The tracer is built here
 * and handed to Boot's {@code ObservationRegistry} as an {@link ObservationHandler} bean;
 * Boot's tracing auto-configuration is not on the class path, so no other test gets it.
 */
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import({ TracingBridgeIntegrationTests.Tracing.class, TracingBridgeIntegrationTests.ReportController.class })
class TracingBridgeIntegrationTests {

    private static final AttributeKey<String> URI_KEY = AttributeKey.stringKey("uri");

    @LocalServerPort
    int port;

    @Autowired
    InMemorySpanExporter spans;

    @BeforeEach
    void forgetEarlierSpans() {
        this.spans.reset();
    }

    @Test
    void aRequestsScopeAndAMethodScopeAreSpansUnderTheServerSpanOfTheRequestsTrace() throws Exception {
        assertThat(get("/report").statusCode()).isEqualTo(200);
        SpanData server = awaitServerSpan("/report");
        SpanData request = awaitSpan(server, "scope request");
        SpanData method = awaitSpan(server, "scope method");
        assertThat(request).hasTraceId(server.getTraceId())
            .hasParentSpanId(server.getSpanId())
            .hasAttributesSatisfyingExactly(equalTo(AttributeKey.stringKey("kind"), "request"),
                    equalTo(AttributeKey.stringKey("outcome"), "success"),
                    equalTo(AttributeKey.stringKey("ending"), "completed"))
            .hasTotalRecordedEvents(0)
            .hasStatus(StatusData.ok());
        assertThat(method).hasTraceId(server.getTraceId())
            .hasParentSpanId(server.getSpanId())
            .hasAttributesSatisfyingExactly(equalTo(AttributeKey.stringKey("kind"), "method"),
                    equalTo(AttributeKey.stringKey("outcome"), "success"),
                    equalTo(AttributeKey.stringKey("ending"), "returned"))
            .hasStatus(StatusData.ok());
    }

    @Test
    void aCloseThatFailsIsAnEventAndTheErrorOfTheRequestsScopeSpan() throws Exception {
        get("/report-with-failing-close");
        SpanData server = awaitServerSpan("/report-with-failing-close");
        SpanData request = awaitSpan(server, "scope request");
        assertThat(request).hasParentSpanId(server.getSpanId())
            .hasAttributesSatisfyingExactly(equalTo(AttributeKey.stringKey("kind"), "request"),
                    equalTo(AttributeKey.stringKey("outcome"), "failure"),
                    equalTo(AttributeKey.stringKey("ending"), "completed"))
            .hasStatusSatisfying((status) -> status.hasCode(StatusCode.ERROR))
            .hasEventsSatisfyingExactly(
                    (event) -> event.hasName("close of 'report-file' failed: java.io.IOException: flush failed"),
                    (event) -> event.hasName("exception")
                        .hasAttributesSatisfying(
                                equalTo(AttributeKey.stringKey("exception.type"),
                                        "io.github.managedscopes.micrometer.ScopeObservations.ScopeFailed"),
                                satisfies(AttributeKey.stringKey("exception.message"),
                                        (message) -> message.contains("'request' scope ended (completed)"))));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
    }

    /** The server span of the request to {@code path} (its {@code http.server.requests} observation). */
    private SpanData awaitServerSpan(String path) {
        SpanData server = awaitSpan("the server span of " + path,
                (span) -> path.equals(span.getAttributes().get(URI_KEY)));
        assertThat(server).hasKind(SpanKind.SERVER).hasNoParent();
        return server;
    }

    /** The span named {@code name} in the trace of {@code server}: scope spans can end after the server span. */
    private SpanData awaitSpan(SpanData server, String name) {
        return awaitSpan("a span '" + name + "' in trace " + server.getTraceId(),
                (span) -> span.getTraceId().equals(server.getTraceId()) && span.getName().equals(name));
    }

    private SpanData awaitSpan(String description, Predicate<SpanData> wanted) {
        return await(description).atMost(Duration.ofSeconds(10))
            .until(() -> this.spans.getFinishedSpanItems().stream().filter(wanted).findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    /**
     * A tracer as an application has one: Micrometer Tracing over the OpenTelemetry SDK,
     * sampling every trace, its spans exported synchronously to memory.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class Tracing {

        @Bean
        InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean
        OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
            return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                    .setSampler(Sampler.alwaysOn())
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        }

        /** Boot's choice of handlers: propagating ones for clients and servers, else the default one. */
        @Bean
        ObservationHandler<?> tracingObservationHandler(OpenTelemetrySdk openTelemetry) {
            io.opentelemetry.api.trace.Tracer otel = openTelemetry.getTracer("managed-scopes-tests");
            OtelCurrentTraceContext current = new OtelCurrentTraceContext();
            OtelTracer tracer = new OtelTracer(otel, current, (event) -> {
            }, new OtelBaggageManager(current, List.of(), List.of()));
            OtelPropagator propagator = new OtelPropagator(openTelemetry.getPropagators(), otel);
            return new FirstMatchingCompositeObservationHandler(
                    new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                    new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                    new DefaultTracingObservationHandler(tracer));
        }

        @Bean
        ReportWriter reportWriter() {
            return new ReportWriter();
        }

    }

    /** Endpoints whose scopes the traces show. */
    @RestController
    static class ReportController {

        private final ExitStack requestStack;

        private final ReportWriter writer;

        ReportController(ExitStack requestStack, ReportWriter writer) {
            this.requestStack = requestStack;
            this.writer = writer;
        }

        /** A connection on the request's scope, and a report written in a scope of its own. */
        @GetMapping("/report")
        String report() {
            this.requestStack.register(() -> {
            }, "connection");
            this.writer.write();
            return "written";
        }

        /** A resource of the request's scope whose close throws when the request ends. */
        @GetMapping("/report-with-failing-close")
        String reportWithFailingClose() {
            this.requestStack.register(() -> {
                throw new IOException("flush failed");
            }, "report-file");
            return "written";
        }

    }

    /** Writes a report inside a {@code method} scope. */
    static class ReportWriter {

        @ManagedScope
        public void write() {
            ManagedScopes.current().register(() -> {
            }, "report-buffer");
        }

    }

}
