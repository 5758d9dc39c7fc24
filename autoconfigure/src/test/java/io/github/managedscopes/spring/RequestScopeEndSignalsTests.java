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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.managedscopes.ExitStack;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.ProtocolHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each end signal of a request scope forced alone over a real Tomcat (raw sockets for the
 * hang-ups): the scope's one resource closes exactly once, the scope ends once, and the
 * signal reported and the {@code ending} tag are the forced one.
 * <p>
 * The server shuts down at once: the hang-ups that make Tomcat drop a request's
 * {@code AsyncContext} (RELIABILITY.md) leave its count of asynchronous requests in progress
 * up for good, and a graceful shutdown would wait its whole time-out for them.
 */
@SpringBootTest(classes = RequestScopeEndSignalsTests.SignalApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "managed-scopes.request.max-lifetime=3s", "server.shutdown=immediate" })
class RequestScopeEndSignalsTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private Signals signals;

    @Autowired
    private SignalController controller;

    @BeforeEach
    void clear() {
        // The scope of the previous test's request may unwind after its response arrived.
        await().atMost(Duration.ofSeconds(10)).until(() -> this.signals.opened.get() == this.signals.reported.get());
        this.signals.ended.clear();
        this.signals.endings.clear();
        this.controller.closes.set(0);
        this.controller.producerSawClosed = 0;
        this.controller.gatedTasksRun.set(0);
    }

    @Test
    void aSynchronousRequestEndsWhenItsDispatchReturns() throws Exception {
        assertThat(get("/sync").statusCode()).isEqualTo(200);
        assertEndedOnceBy(RequestScopeEnd.DISPATCH_RETURNED, "completed");
    }

    @Test
    void aDeferredResultEndsWhenTheContainerCompletesIt() throws Exception {
        assertThat(get("/deferred").body()).isEqualTo("done");
        assertEndedOnceBy(RequestScopeEnd.ASYNC_COMPLETE, "completed");
    }

    @Test
    void aDeferredResultThatTimesOutEndsOnTheContainersTimeout() throws Exception {
        assertThat(get("/deferred-timeout").statusCode()).isEqualTo(503);
        assertEndedOnceBy(RequestScopeEnd.ASYNC_TIMEOUT, "timeout");
    }

    @Test
    void aDeferredResultEndsOnTheContainersErrorWhenAWriteOfAnotherThreadFails() throws Exception {
        hangUp("/deferred-error", true);
        assertEndedOnceBy(RequestScopeEnd.ASYNC_ERROR, "error");
    }

    @Test
    void anSseEmitterEndsOnItsCompletionCallback() throws Exception {
        assertThat(get("/sse-complete").body()).contains("data:one");
        assertEndedOnceBy(RequestScopeEnd.EMITTER_COMPLETE, "completed");
    }

    @Test
    void anSseEmitterThatTimesOutEndsOnItsTimeoutCallback() throws Exception {
        get("/sse-timeout");
        assertEndedOnceBy(RequestScopeEnd.EMITTER_TIMEOUT, "timeout");
    }

    @Test
    void anSseEmitterEndsOnItsErrorCallbackAndUnwindsWhenItsProducerStops() throws Exception {
        hangUp("/sse-error", true);
        assertEndedOnceBy(RequestScopeEnd.EMITTER_ERROR, "error");
    }

    @Test
    void anSseEmitterWhoseFirstEventCannotBeWrittenEndsOnTheFailedWrite() throws Exception {
        try (Socket socket = request("/sse-gone")) {
            socket.setSoLinger(true, 0);
        }
        this.controller.clientGone.countDown();
        assertEndedOnceBy(RequestScopeEnd.CLIENT_GONE, "disconnect");
        assertThat(this.controller.producerSawClosed).isZero();
    }

    @Test
    void aStreamingResponseBodyEndsWhenItReturns() throws Exception {
        assertThat(get("/stream").body()).isEqualTo("streamed");
        assertEndedOnceBy(RequestScopeEnd.STREAM_RETURNED, "completed");
    }

    @Test
    void aStreamingResponseBodyWhoseClientLeavesBeforeItsProducerStartsEndsOnTheContainersError() throws Exception {
        // Spring cancels the producer's task on the container's error: queued, it never runs.
        CountDownLatch gate = new CountDownLatch(1);
        this.controller.producerGate = gate;
        try {
            hangUp("/stream-queued", true);
            assertEndedOnceBy(RequestScopeEnd.ASYNC_ERROR, "error");
        }
        finally {
            gate.countDown();
            this.controller.producerGate = new CountDownLatch(0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> this.controller.gatedTasksRun.get() == 1);
        assertThat(this.controller.producerSawClosed).as("producers that ran after the scope closed").isZero();
    }

    @Test
    void anSseEmitterWithoutTimeoutWhoseClientStaysSilentEndsAtTheDeadline() throws Exception {
        try (Socket socket = request("/sse-stuck")) {
            assertEndedOnceBy(RequestScopeEnd.MAX_LIFETIME, "max-lifetime");
        }
    }

    private void assertEndedOnceBy(RequestScopeEnd signal, String ending) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !this.signals.ended.isEmpty());
        assertThat(this.controller.closes).as("closes of the request's resource").hasValue(1);
        assertThat(this.signals.ended).containsExactly(signal);
        assertThat(this.signals.endings).containsExactly(ending);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request, reads the start of the response, hangs up (a reset if asked). */
    private void hangUp(String path, boolean reset) throws IOException {
        try (Socket socket = request(path)) {
            InputStream in = socket.getInputStream();
            assertThat(in.read(new byte[1024])).isPositive();
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        }
    }

    private Socket request(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", this.port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(SignalController.class)
    static class SignalApplication {

        @Bean
        Signals signals() {
            return new Signals();
        }

        /**
         * Tomcat's socket events run on the controller's workers, which tell when the event that
         * dispatched a request is over (its asynchronous state has left {@code STARTING}).
         */
        @Bean
        TomcatProtocolHandlerCustomizer<ProtocolHandler> containerWorkers(SignalController controller) {
            return (protocol) -> protocol.setExecutor(controller::runContainerEvent);
        }

        @Bean
        WebMvcConfigurer asyncSupport(SignalController controller) {
            return new WebMvcConfigurer() {

                /** Tasks of streaming bodies wait for the controller's gate (open but in one test). */
                @Override
                public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
                    configurer.setTaskExecutor(controller::runAfterGate);
                }

            };
        }

    }

    /** What request scopes reported when they ended. */
    static final class Signals implements RequestScopeEndListener, ScopeListener {

        final List<RequestScopeEnd> ended = new CopyOnWriteArrayList<>();

        final List<String> endings = new CopyOnWriteArrayList<>();

        final AtomicInteger opened = new AtomicInteger();

        final AtomicInteger reported = new AtomicInteger();

        @Override
        public void requestScopeEnded(RequestScopeEnd signal, boolean failed) {
            this.ended.add(signal);
            this.reported.incrementAndGet();
        }

        @Override
        public OpenScopeListener scopeOpened(String kind) {
            this.opened.incrementAndGet();
            return new OpenScopeListener() {
                @Override
                public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
                    Signals.this.endings.add(ending.tagValue());
                }
            };
        }

    }

    @RestController
    static class SignalController {

        /** Counted down once the container's socket event that ran the handler is over. */
        private static final ThreadLocal<CountDownLatch> dispatchEnded = new ThreadLocal<>();

        final AtomicInteger closes = new AtomicInteger();

        volatile int producerSawClosed;

        volatile CountDownLatch clientGone = new CountDownLatch(1);

        volatile CountDownLatch producerGate = new CountDownLatch(0);

        final AtomicInteger gatedTasksRun = new AtomicInteger();

        private final ExitStack requestStack;

        private final ExecutorService worker = Executors.newCachedThreadPool();

        private final ExecutorService containerWorker = Executors.newCachedThreadPool();

        SignalController(ExitStack requestStack) {
            this.requestStack = requestStack;
        }

        @PreDestroy
        void stop() {
            this.worker.shutdownNow();
            this.containerWorker.shutdownNow();
        }

        void runContainerEvent(Runnable event) {
            this.containerWorker.execute(() -> {
                try {
                    event.run();
                }
                finally {
                    CountDownLatch ended = dispatchEnded.get();
                    if (ended != null) {
                        dispatchEnded.remove();
                        ended.countDown();
                    }
                }
            });
        }

        private void open() {
            this.requestStack.register(this.closes::incrementAndGet, "signal-resource");
        }

        @GetMapping("/sync")
        String sync() {
            open();
            return "done";
        }

        @GetMapping("/deferred")
        DeferredResult<String> deferred() {
            open();
            DeferredResult<String> result = new DeferredResult<>(5_000L);
            this.worker.execute(() -> result.setResult("done"));
            return result;
        }

        @GetMapping("/deferred-timeout")
        DeferredResult<String> deferredTimeout() {
            open();
            return new DeferredResult<>(100L);
        }

        @GetMapping("/deferred-error")
        DeferredResult<String> deferredError(HttpServletResponse response) {
            open();
            // The writes start once the dispatch that started asynchronous handling is over: a
            // hang-up seen before startAsync would fail the request on its dispatch instead
            // (Tomcat refuses startAsync in its error state), and one seen later in the dispatch
            // would lose its AsyncContext (see writeUntilFailureOnceDispatchEnded).
            writeUntilFailureOnceDispatchEnded(response);
            return new DeferredResult<>(0L);
        }

        @GetMapping("/sse-complete")
        SseEmitter sseComplete() {
            open();
            SseEmitter emitter = new SseEmitter(5_000L);
            // Events sent and completed before the emitter is initialized never reach its callbacks.
            onceDispatchEnded(() -> {
                try {
                    emitter.send("one");
                    emitter.complete();
                }
                catch (IOException ex) {
                    emitter.completeWithError(ex);
                }
            });
            return emitter;
        }

        @GetMapping("/sse-timeout")
        SseEmitter sseTimeout() {
            open();
            return new SseEmitter(100L);
        }

        @GetMapping("/sse-error")
        SseEmitter sseError(HttpServletResponse response) {
            open();
            SseEmitter emitter = new SseEmitter(0L);
            // Another thread writes to the raw response until the container learns the client has
            // gone, once the dispatch is over: a write that fails while the container thread is
            // still processing it makes Tomcat drop the request's AsyncContext (RELIABILITY.md),
            // and no error callback would come...
            writeUntilFailureOnceDispatchEnded(response);
            // ...and the emitter's producer sends again once the application heard of the error.
            CountDownLatch errored = new CountDownLatch(1);
            emitter.onError((ex) -> errored.countDown());
            this.worker.execute(() -> produceUntilFailure(emitter, errored));
            return emitter;
        }

        @GetMapping("/sse-gone")
        SseEmitter sseGone() throws Exception {
            open();
            SseEmitter emitter = new SseEmitter(0L);
            this.worker.execute(() -> produceUntilFailure(emitter, new CountDownLatch(0)));
            assertThat(this.clientGone.await(10, TimeUnit.SECONDS)).isTrue();
            this.clientGone = new CountDownLatch(1);
            emitter.send("first, before the handler returns");
            return emitter;
        }

        @GetMapping("/stream")
        StreamingResponseBody stream() {
            open();
            return (out) -> out.write("streamed".getBytes(StandardCharsets.UTF_8));
        }

        @GetMapping("/stream-queued")
        StreamingResponseBody streamQueued(HttpServletResponse response) {
            open();
            // Another thread's write fails once the client has gone, and the container reports an error.
            writeUntilFailureOnceDispatchEnded(response);
            return (out) -> {
                if (this.closes.get() > 0) {
                    this.producerSawClosed++;
                }
            };
        }

        void runAfterGate(Runnable task) {
            CountDownLatch gate = this.producerGate;
            this.worker.execute(() -> {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                task.run();
                this.gatedTasksRun.incrementAndGet();
            });
        }

        @GetMapping("/sse-stuck")
        SseEmitter sseStuck() {
            open();
            return new SseEmitter(0L);
        }

        private void produceUntilFailure(SseEmitter emitter, CountDownLatch before) {
            try {
                before.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < 10_000; i++) {
                    if (this.closes.get() > 0) {
                        this.producerSawClosed++;
                    }
                    emitter.send("event " + i);
                    Thread.sleep(1);
                }
            }
            catch (IOException | IllegalStateException ex) {
                // The client has gone: the producer stops on its first failed send.
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Writes to the raw response from another thread once the container's thread is done with
         * the dispatch that runs this handler: an error of Tomcat's in {@code STARTING} is lost.
         */
        private void writeUntilFailureOnceDispatchEnded(HttpServletResponse response) {
            onceDispatchEnded(() -> writeUntilFailure(response));
        }

        /**
         * Runs {@code task} on a worker once the container's thread is done with the dispatch
         * that runs this handler (after the handler returned, its emitter initialized, and
         * Tomcat's asynchronous state left {@code STARTING}).
         */
        private void onceDispatchEnded(Runnable task) {
            CountDownLatch ended = new CountDownLatch(1);
            dispatchEnded.set(ended);
            this.worker.execute(() -> {
                try {
                    if (ended.await(5, TimeUnit.SECONDS)) {
                        task.run();
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        private static void writeUntilFailure(HttpServletResponse response) {
            try {
                OutputStream out = response.getOutputStream();
                for (int i = 0; i < 10_000; i++) {
                    out.write(new byte[4096]);
                    out.flush();
                    Thread.sleep(1);
                }
            }
            catch (IOException ex) {
                // The client has gone.
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

    }

}
