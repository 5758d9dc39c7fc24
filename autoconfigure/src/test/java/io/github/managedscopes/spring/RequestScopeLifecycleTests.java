package io.github.managedscopes.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RequestScopeLifecycle}, each end signal forced alone and then together with the
 * others, on a real scope and a real deadline timer: the scope unwinds exactly once, with the
 * failure the rule picks, reports the first signal, and never unwinds under a producer that
 * has not stopped. The same signals over a real Tomcat are in
 * {@code RequestScopeEndSignalsTests}.
 */
class RequestScopeLifecycleTests {

    private final RequestScopeDeadlines deadlines = new RequestScopeDeadlines(Duration.ofMillis(300));

    private final List<RequestScopeEnd> reported = new CopyOnWriteArrayList<>();

    private final AtomicInteger closes = new AtomicInteger();

    private final AtomicReference<@Nullable Throwable> exitSaw = new AtomicReference<>();

    private final AtomicInteger exits = new AtomicInteger();

    @AfterEach
    void stopTimer() {
        this.deadlines.destroy();
    }

    private RequestScopeLifecycle open() {
        RequestScopeLifecycle lifecycle = new RequestScopeLifecycle(
                new ActiveScope(ManagedScopes.REQUEST, ServletRequestScopes.DESCRIPTION, ScopeListener.NONE, null, false),
                this.deadlines, (signal, failed) -> this.reported.add(signal));
        lifecycle.scope().stack().register(this.closes::incrementAndGet, "resource");
        lifecycle.scope().stack().push((failure) -> {
            this.exits.incrementAndGet();
            this.exitSaw.set(failure);
            return false;
        });
        return lifecycle;
    }

    private void assertEndedOnce(RequestScopeEnd signal) {
        assertThat(this.closes).hasValue(1);
        assertThat(this.exits).hasValue(1);
        assertThat(this.reported).containsExactly(signal);
    }

    @Test
    void aSynchronousDispatchEndsTheScopeWhenItReturns() throws Exception {
        RequestScopeLifecycle lifecycle = open();
        assertThat(lifecycle.endAfterDispatch(null)).isFalse();
        assertEndedOnce(RequestScopeEnd.DISPATCH_RETURNED);
        assertThat(this.exitSaw.get()).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = RequestScopeEnd.class, names = { "ASYNC_COMPLETE", "ASYNC_ERROR", "ASYNC_TIMEOUT",
            "EMITTER_COMPLETE", "EMITTER_ERROR", "EMITTER_TIMEOUT", "CLIENT_GONE", "STREAM_RETURNED" })
    void eachAsynchronousSignalAloneEndsTheScopeOnce(RequestScopeEnd signal) {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.asyncStarted("GET /signal");
        IOException failure = new IOException("Broken pipe");
        lifecycle.end(signal, (signal == RequestScopeEnd.ASYNC_COMPLETE) ? null : failure);
        assertEndedOnce(signal);
        assertThat(lifecycle.endedBy()).isEqualTo(signal);
        assertThat(this.exitSaw.get()).isSameAs((signal == RequestScopeEnd.ASYNC_COMPLETE) ? null : failure);
        for (RequestScopeEnd later : RequestScopeEnd.values()) {
            lifecycle.end(later, new IllegalStateException("later"));
        }
        assertEndedOnce(signal);
    }

    @Test
    void theDeadlineEndsAScopeNoOtherSignalReachesWithAFailureThatSaysSo() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.asyncStarted("GET /stuck");
        await().atMost(Duration.ofSeconds(5)).until(() -> this.exits.get() == 1);
        assertEndedOnce(RequestScopeEnd.MAX_LIFETIME);
        assertThat(this.exitSaw.get()).isInstanceOf(TimeoutException.class)
            .hasMessageContaining("GET /stuck")
            .hasMessageContaining(RequestScopeDeadlines.PROPERTY)
            .hasMessageContaining("PT0.3S");
        lifecycle.end(RequestScopeEnd.ASYNC_COMPLETE, null);
        assertEndedOnce(RequestScopeEnd.MAX_LIFETIME);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theDeadlineSaysOnceWhichRequestItUnwoundAndWhatToRaise(CapturedOutput output) {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.asyncStarted("GET /forgotten");
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("GET /forgotten"));
        lifecycle.end(RequestScopeEnd.ASYNC_COMPLETE, null);
        assertEndedOnce(RequestScopeEnd.MAX_LIFETIME);
        assertThat(output.getAll()).containsOnlyOnce("The request scope of GET /forgotten was still open")
            .contains("WARN")
            .contains(RequestScopeDeadlines.PROPERTY);
    }

    @Test
    void theDeadlineUnwindsPastALeaseThatIsNeverClosedAndTheLeaseClosingLaterChangesNothing() {
        RequestScopeLifecycle lifecycle = open();
        Lease lease = lifecycle.scope().lease();
        lifecycle.asyncStarted("GET /leased");
        lifecycle.end(RequestScopeEnd.ASYNC_COMPLETE, null);
        assertThat(this.closes).hasValue(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.exits.get() == 1);
        assertThat(this.exitSaw.get()).isInstanceOf(TimeoutException.class)
            .hasMessageContaining("a lease still held it open");
        lease.close();
        assertEndedOnce(RequestScopeEnd.MAX_LIFETIME);
    }

    @Test
    void aContainerErrorWaitsForTheProducerToStopAndItsFailedWriteUnwinds() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerStarted();
        lifecycle.asyncStarted("GET /sse");
        IOException reset = new IOException("Connection reset by peer");
        lifecycle.end(RequestScopeEnd.ASYNC_ERROR, reset);
        lifecycle.end(RequestScopeEnd.ASYNC_COMPLETE, null);
        assertThat(this.closes).as("closed under the running producer").hasValue(0);
        lifecycle.clientGone(new IOException("not usable"), true);
        assertEndedOnce(RequestScopeEnd.ASYNC_ERROR);
        assertThat(this.exitSaw.get()).as("the first failure recorded wins").isSameAs(reset);
    }

    @Test
    void aContainerErrorBeforeAQueuedProducerRunsLetsGoOfItAndTheProducerMayNoLongerRun() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerQueued();
        lifecycle.asyncStarted("GET /stream");
        lifecycle.end(RequestScopeEnd.ASYNC_ERROR, new IOException("Connection reset by peer"));
        assertEndedOnce(RequestScopeEnd.ASYNC_ERROR);
        assertThat(lifecycle.producerRuns()).as("the producer may run after the scope ended").isFalse();
    }

    @Test
    void aContainerErrorAfterAQueuedProducerBeganWaitsForItToStop() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerQueued();
        lifecycle.asyncStarted("GET /stream");
        assertThat(lifecycle.producerRuns()).isTrue();
        lifecycle.end(RequestScopeEnd.ASYNC_ERROR, new IOException("Connection reset by peer"));
        assertThat(this.closes).as("closed under the running producer").hasValue(0);
        lifecycle.end(RequestScopeEnd.STREAM_RETURNED, null);
        assertEndedOnce(RequestScopeEnd.ASYNC_ERROR);
    }

    @Test
    void aWriteOfTheReturnValueHandlerThatFailsDoesNotStopAProducerThatIsAlreadyRunning() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerStarted();
        lifecycle.clientGone(new IOException("early event"), false);
        assertThat(this.closes).hasValue(0);
        lifecycle.asyncStarted("GET /sse");
        lifecycle.end(RequestScopeEnd.STREAM_RETURNED, null);
        assertEndedOnce(RequestScopeEnd.CLIENT_GONE);
    }

    @Test
    void aStreamThatCompletesWithoutFailureLetsGoOfItsProducer() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerStarted();
        lifecycle.asyncStarted("GET /sse");
        lifecycle.end(RequestScopeEnd.EMITTER_COMPLETE, null);
        assertEndedOnce(RequestScopeEnd.EMITTER_COMPLETE);
    }

    @Test
    void theEmittersErrorCallbackLetsGoOfTheProducerSinceEveryLaterSendFailsInsideTheEmitter() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerStarted();
        lifecycle.asyncStarted("GET /sse");
        lifecycle.end(RequestScopeEnd.EMITTER_ERROR, new IOException("reset"));
        assertEndedOnce(RequestScopeEnd.EMITTER_ERROR);
    }

    @Test
    void aTimeoutLetsGoOfTheProducer() {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.producerStarted();
        lifecycle.asyncStarted("GET /sse");
        lifecycle.end(RequestScopeEnd.EMITTER_TIMEOUT, new AsyncRequestTimeoutException());
        assertEndedOnce(RequestScopeEnd.EMITTER_TIMEOUT);
    }

    @Test
    void aFailureEscapingTheSynchronousDispatchWinsOverTheRecordedOne() throws Exception {
        RequestScopeLifecycle lifecycle = open();
        lifecycle.record(new IllegalStateException("handled"));
        IllegalArgumentException escaping = new IllegalArgumentException("escaping");
        assertThat(lifecycle.endAfterDispatch(escaping)).isFalse();
        assertThat(this.exitSaw.get()).isSameAs(escaping);
        assertEndedOnce(RequestScopeEnd.DISPATCH_RETURNED);
    }

    @Test
    void theFirstRecordedFailureWinsOverTheContainersLaterReport() {
        RequestScopeLifecycle lifecycle = open();
        IllegalStateException handled = new IllegalStateException("handled");
        lifecycle.record(handled);
        lifecycle.asyncStarted("GET /deferred");
        lifecycle.end(RequestScopeEnd.ASYNC_TIMEOUT, new AsyncRequestTimeoutException());
        assertThat(this.exitSaw.get()).isSameAs(handled);
    }

    @Test
    void signalsRacingFromManyThreadsEndTheScopeOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            this.closes.set(0);
            this.exits.set(0);
            this.reported.clear();
            RequestScopeLifecycle lifecycle = open();
            lifecycle.producerStarted();
            lifecycle.asyncStarted("GET /race");
            RequestScopeEnd[] signals = RequestScopeEnd.values();
            Thread[] threads = new Thread[signals.length];
            for (int i = 0; i < signals.length; i++) {
                RequestScopeEnd signal = signals[i];
                threads[i] = new Thread(() -> lifecycle.end(signal, new IOException(signal.value())));
            }
            for (Thread thread : threads) {
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(this.closes).hasValue(1);
            assertThat(this.reported).hasSize(1);
        }
    }

}
