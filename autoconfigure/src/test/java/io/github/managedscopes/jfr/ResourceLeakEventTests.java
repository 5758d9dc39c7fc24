package io.github.managedscopes.jfr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.micrometer.ManagedScopesMetrics;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Each kind of leak of docs/observability.md (threshold, late registration, abandoned scope),
 * provoked through the real library while a real Java Flight Recorder recording runs, read
 * back from the recording file.
 */
class ResourceLeakEventTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ManagedScopesMetrics metrics = new ManagedScopesMetrics(this.meters, 100, Duration.ofMillis(50));

    private final ScopeRegistry registry = new ScopeRegistry(this.metrics, true);

    @TempDir
    Path directory;

    @AfterEach
    void stopLeakDetection() {
        this.metrics.close();
    }

    @Test
    void recordsAResourceOpenPastTheThresholdWithItsAgeAndRegistrationSite() throws Exception {
        List<RecordedEvent> events = record(() -> {
            ExitStack stack = new ExitStack(this.registry);
            stack.register(() -> {
            }, "slow-connection");
            await().atMost(Duration.ofSeconds(10)).until(() -> leaked("slow-connection", "threshold") == 1);
            stack.close();
        });
        RecordedEvent event = only(events, "slow-connection", "threshold");
        assertThat(event.getDuration("age")).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(event.getString("registeringThread")).isEqualTo(Thread.currentThread().getName());
        assertThat(event.getString("registrationSite")).startsWith("'slow-connection' was registered here")
            .contains(ResourceLeakEventTests.class.getName() + ".lambda$recordsAResourceOpenPastTheThreshold");
    }

    @Test
    void recordsARegistrationAfterTheScopeEndedWithWhereItHappened() throws Exception {
        List<RecordedEvent> events = record(() -> {
            ExitStack stack = ExitStack.forScope("a test scope", this.registry.scopeOpened("programmatic"));
            stack.close();
            assertThatIllegalStateException().isThrownBy(() -> stack.register(() -> {
            }, "late-file"));
        });
        RecordedEvent event = only(events, "late-file", "late-registration");
        assertThat(event.getDuration("age")).isZero();
        assertThat(event.getString("registrationSite"))
            .contains(ResourceLeakEventTests.class.getName() + ".lambda$recordsARegistrationAfterTheScopeEnded");
    }

    @Test
    void recordsTheResourcesOfAScopeCollectedWithoutBeingUnwound() throws Exception {
        List<RecordedEvent> events = record(() -> {
            abandonAScopeHolding("forgotten-socket");
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return leaked("forgotten-socket", "abandoned") == 1;
            });
        });
        RecordedEvent event = only(events, "forgotten-socket", "abandoned");
        assertThat(event.getDuration("age")).isPositive();
        assertThat(event.getString("registrationSite")).contains(ResourceLeakEventTests.class.getName()
                + ".abandonAScopeHolding");
    }

    @Test
    void isCommittedOnlyWhileARecordingEnablesIt() throws Exception {
        assertThat(new ResourceLeakEvent().isEnabled()).isFalse();
        ResourceLeakEvent.report("no-recording", "threshold", 1, "main", null);
        assertThat(FlightRecorder.getFlightRecorder().getEventTypes()).extracting(EventType::getName)
            .contains(ResourceLeakEvent.NAME);
        try (Recording recording = new Recording()) {
            recording.disable(ResourceLeakEvent.NAME);
            recording.start();
            ResourceLeakEvent.report("not-enabled", "threshold", 1, "main", null);
            recording.stop();
            Path file = this.directory.resolve("disabled.jfr");
            recording.dump(file);
            assertThat(RecordingFile.readAllEvents(file))
                .noneMatch((event) -> event.getEventType().getName().equals(ResourceLeakEvent.NAME));
        }
    }

    private List<RecordedEvent> record(Runnable leak) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable(ResourceLeakEvent.NAME);
            recording.start();
            leak.run();
            recording.stop();
            Path file = this.directory.resolve("leaks.jfr");
            recording.dump(file);
            return RecordingFile.readAllEvents(file)
                .stream()
                .filter((event) -> event.getEventType().getName().equals(ResourceLeakEvent.NAME))
                .toList();
        }
    }

    private static RecordedEvent only(List<RecordedEvent> events, String resource, String reason) {
        return assertThat(events)
            .filteredOn((event) -> resource.equals(event.getString("resource"))
                    && reason.equals(event.getString("reason")))
            .singleElement()
            .actual();
    }

    private double leaked(String resource, String reason) {
        return this.meters.get("managedscopes.resources.leaked")
            .tags("resource", resource, "reason", reason)
            .counter()
            .count();
    }

    private void abandonAScopeHolding(String name) {
        OpenScopeListener listener = this.registry.scopeOpened("programmatic");
        // Nothing but its users can end it: the registry watches it for abandonment.
        listener.scopeEscaped();
        ExitStack stack = ExitStack.forScope("an abandoned scope", listener);
        stack.register(() -> {
        }, name);
    }

}
