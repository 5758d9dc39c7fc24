package io.github.managedscopes.micrometer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.managedscopes.ContextManagers;
import io.github.managedscopes.ExitStack;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static io.github.managedscopes.micrometer.ManagedScopesMeters.EXCEPTIONS_SUPPRESSED;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.RESOURCES_HELD;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.RESOURCES_LEAKED;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.RESOURCES_OPEN;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.SCOPES;
import static io.github.managedscopes.micrometer.ManagedScopesMeters.SCOPES_ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

/**
 * The meters of docs/metrics.md on a {@link SimpleMeterRegistry}, fed by a {@link ScopeRegistry},
 * after scripted scenarios.
 */
class ManagedScopesMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private ManagedScopesMetrics metrics = new ManagedScopesMetrics(this.registry);

    /** What stacks and scopes report to, and the metrics read. */
    private ScopeRegistry scopes = new ScopeRegistry(this.metrics, false);

    @AfterEach
    void stopLeakDetection() {
        this.metrics.close();
    }

    @Test
    void countsAResourceOpenUntilItClosesAndTimesHowLongItWasHeld() {
        ExitStack stack = new ExitStack(this.scopes);
        stack.register(new Quiet(), "connection");
        stack.register(new Quiet(), "connection");
        assertThat(open("connection")).isEqualTo(2);
        stack.close();
        assertThat(open("connection")).isZero();
        assertThat(held("connection", "closed")).isEqualTo(2);
        assertThat(held("connection", "close-failed")).isZero();
        assertThat(leaked("connection", "threshold") + leaked("connection", "late-registration")
                + leaked("connection", "abandoned")).isZero();
    }

    @Test
    void countsACloseFailureDuringAFailureAsSuppressedAndTheResourceAsCloseFailed() {
        ExitStack stack = new ExitStack(this.scopes);
        stack.register(new Failing(new IOException("disk gone")), "file");
        RuntimeException failure = new RuntimeException("handler failed");
        assertThatRuntimeException().isThrownBy(() -> {
            if (!stack.exit(failure)) {
                throw failure;
            }
        }).isSameAs(failure);
        assertThat(suppressed("file", "IOException", "close-during-failure")).isEqualTo(1);
        assertThat(held("file", "close-failed")).isEqualTo(1);
        assertThat(open("file")).isZero();
    }

    @Test
    void countsAnExceptionSwallowedByAnExit() throws Exception {
        ExitStack stack = new ExitStack(this.scopes);
        stack.enterContext(ContextManagers.suppress(IllegalStateException.class));
        assertThat(stack.exit(new IllegalStateException("swallow me"))).isTrue();
        assertThat(this.registry.get(EXCEPTIONS_SUPPRESSED)
            .tags("exception", "IllegalStateException", "reason", "swallowed")
            .counter()
            .count()).isEqualTo(1);
    }

    @Test
    void countsAFailedHook() {
        this.metrics.exceptionSuppressed("TransactionHooks.onCommit", new IllegalArgumentException(),
                SuppressionReason.HOOK_FAILED);
        this.metrics.exceptionSuppressed("TransactionHooks.onCommit", new IllegalArgumentException(),
                SuppressionReason.HOOK_FAILED);
        assertThat(suppressed("TransactionHooks.onCommit", "IllegalArgumentException", "hook-failed")).isEqualTo(2);
    }

    @Test
    void countsARegistrationAfterTheScopeEndedAsLeaked() {
        ExitStack stack = ExitStack.forScope("a test scope", this.scopes.scopeOpened("programmatic"));
        stack.close();
        Quiet late = new Quiet();
        assertThatIllegalStateException().isThrownBy(() -> stack.register(late, "late"));
        assertThat(late.closed).isTrue();
        assertThat(leaked("late", "late-registration")).isEqualTo(1);
        assertThat(open("late")).isZero();
    }

    @Test
    void reportsAResourceOpenPastTheThresholdOnceAtWarnAndOnceAtInfoWhenItCloses() {
        this.metrics.close();
        this.metrics = new ManagedScopesMetrics(this.registry, 100, Duration.ofMillis(20));
        this.scopes = new ScopeRegistry(this.metrics, true);
        ListAppender<ILoggingEvent> log = capture(LeakDetector.class);
        ExitStack stack = new ExitStack(this.scopes);
        stack.register(new Quiet(), "slow");
        stack.register(new Quiet(), "fast");
        // each resource's watch fires on its own: wait for both, not for one
        await().atMost(Duration.ofSeconds(10))
            .until(() -> leaked("slow", "threshold") == 1 && leaked("fast", "threshold") == 1);
        stack.close();
        assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.WARN)
            .hasSize(2)
            .allSatisfy((event) -> assertThat(event.getThrowableProxy().getMessage()).contains("was registered here"));
        assertThat(log.list).filteredOn((event) -> event.getLevel() == Level.INFO)
            .extracting(ILoggingEvent::getFormattedMessage)
            .hasSize(2)
            .allSatisfy((message) -> assertThat(message).contains("reported as leaked earlier was closed"));
        assertThat(open("slow")).isZero();
    }

    @Test
    void theGaugesCountWhatIsOpenInEachRegistryThatReportsToTheMetrics() {
        ScopeRegistry other = new ScopeRegistry(this.metrics, false);
        ExitStack outsideAnyScope = new ExitStack(this.scopes);
        outsideAnyScope.register(new Quiet(), "shared");
        OpenScopeListener scope = other.scopeOpened("programmatic");
        ExitStack scoped = ExitStack.forScope("a scope of the other registry", scope);
        scoped.register(new Quiet(), "shared");
        scoped.register(new Quiet(), "shared");
        assertThat(open("shared")).isEqualTo(3);
        assertThat(activeScopes("programmatic")).isEqualTo(1);
        scoped.close();
        scope.scopeEnded("programmatic", 1, false, ScopeEnding.RETURNED);
        assertThat(open("shared")).isEqualTo(1);
        assertThat(activeScopes("programmatic")).isZero();
        outsideAnyScope.close();
        assertThat(open("shared")).isZero();
        assertThat(held("shared", "closed")).isEqualTo(3);
    }

    @Test
    void capturesNothingAndSchedulesNothingWhenLeakDetectionIsOff() {
        ExitStack stack = new ExitStack(this.scopes);
        stack.register(new Quiet(), "quick");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
            .doesNotContain("managed-scopes-leak-detector");
        stack.close();
        assertThat(leaked("quick", "threshold")).isZero();
    }

    @Test
    void countsTheOpenResourcesOfAScopeCollectedWithoutBeingUnwoundAsAbandoned() {
        ListAppender<ILoggingEvent> log = capture(ScopeRegistry.class);
        abandonAScopeHolding("forgotten");
        assertThat(open("forgotten")).isEqualTo(1);
        assertThat(activeScopes("programmatic")).isEqualTo(1);
        // The cleaner reports the resources first and the scope's end after: wait for the end.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            Timer ended = this.registry.find(SCOPES).tags("ending", "abandoned").timer();
            return ended != null && ended.count() > 0;
        });
        assertThat(leaked("forgotten", "abandoned")).isEqualTo(1);
        assertThat(open("forgotten")).isZero();
        assertThat(activeScopes("programmatic")).isZero();
        assertThat(this.registry.get(SCOPES)
            .tags("kind", "programmatic", "outcome", "failure", "ending", "abandoned")
            .timer()
            .count()).isEqualTo(1);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
            .filteredOn((message) -> message.contains("[forgotten]"))
            .singleElement()
            .asString()
            .contains("became unreachable without having been unwound");
    }

    @Test
    void timesScopesByKindOutcomeAndEndingAndCountsThemActiveMeanwhile() {
        OpenScopeListener first = this.scopes.scopeOpened("request");
        OpenScopeListener second = this.scopes.scopeOpened("request");
        assertThat(activeScopes("request")).isEqualTo(2);
        first.scopeEnded("request", 1_000_000, false, ScopeEnding.COMPLETED);
        second.scopeEnded("request", 3_000_000, true, ScopeEnding.TIMEOUT);
        second.scopeEnded("request", 3_000_000, true, ScopeEnding.TIMEOUT);
        assertThat(activeScopes("request")).isZero();
        assertThat(this.registry.get(SCOPES)
            .tags("kind", "request", "outcome", "success", "ending", "completed")
            .timer()
            .count()).isEqualTo(1);
        assertThat(this.registry.get(SCOPES)
            .tags("kind", "request", "outcome", "failure", "ending", "timeout")
            .timer()
            .count()).isEqualTo(1);
        assertThat(this.registry.find(SCOPES).tags("ending", "completed", "outcome", "failure").timer()).isNull();
    }

    @Test
    void reportsTagValuesPastTheCapAsOther() {
        this.metrics = new ManagedScopesMetrics(this.registry, 2, Duration.ZERO);
        this.scopes = new ScopeRegistry(this.metrics, false);
        ExitStack stack = new ExitStack(this.scopes);
        for (String name : List.of("a", "b", "c", "d", "a")) {
            stack.register(new Quiet(), name);
        }
        assertThat(open("a")).isEqualTo(2);
        assertThat(open("b")).isEqualTo(1);
        assertThat(open("other")).isEqualTo(2);
        assertThat(this.registry.find(RESOURCES_OPEN).tag("resource", "c").gauge()).isNull();
        for (Class<? extends RuntimeException> type : List.of(IllegalStateException.class,
                IllegalArgumentException.class, UnsupportedOperationException.class)) {
            this.metrics.exceptionSuppressed("a", newInstance(type), SuppressionReason.SWALLOWED);
        }
        assertThat(suppressed("a", "other", "swallowed")).isEqualTo(1);
        stack.close();
        assertThat(open("other")).isZero();
    }

    @Test
    void resolvesEachMeterOnceAndAddsNoneForEventsAlreadySeen() {
        ExitStack stack = new ExitStack(this.scopes);
        stack.register(new Quiet(), "cached");
        stack.close();
        int meters = this.registry.getMeters().size();
        for (int i = 0; i < 100; i++) {
            stack.register(new Quiet(), "cached");
            stack.close();
        }
        assertThat(this.registry.getMeters()).hasSize(meters);
        assertThat(held("cached", "closed")).isEqualTo(101);
    }

    private void abandonAScopeHolding(String name) {
        OpenScopeListener listener = this.scopes.scopeOpened("programmatic");
        // Nothing but its users can end it: the registry watches it for abandonment.
        listener.scopeEscaped();
        ExitStack stack = ExitStack.forScope("an abandoned scope", listener);
        stack.register(new Quiet(), name);
    }

    private static RuntimeException newInstance(Class<? extends RuntimeException> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> source) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    @Test
    void theOpenGaugeNeverReadsBelowZeroWhileOtherThreadsRegisterAndClose() throws Exception {
        ExitStack warm = new ExitStack(this.scopes);
        warm.register(new Quiet(), "busy");
        warm.close();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                workers.add(executor.submit(() -> {
                    while (!stop.get()) {
                        ExitStack stack = new ExitStack(this.scopes);
                        stack.register(new Quiet(), "busy");
                        stack.close();
                    }
                }));
            }
            double lowest = 0;
            for (int i = 0; i < 200_000; i++) {
                lowest = Math.min(lowest, open("busy"));
            }
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
            assertThat(lowest).isZero();
            assertThat(open("busy")).isZero();
            assertThat(held("busy", "closed")).isGreaterThan(1);
        }
        finally {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    private double open(String resource) {
        return this.registry.get(RESOURCES_OPEN).tag("resource", resource).gauge().value();
    }

    private double activeScopes(String kind) {
        return this.registry.get(SCOPES_ACTIVE).tag("kind", kind).gauge().value();
    }

    private long held(String resource, String outcome) {
        return (long) this.registry.get(RESOURCES_HELD).tags("resource", resource, "outcome", outcome).functionTimer().count();
    }

    private double leaked(String resource, String reason) {
        return this.registry.get(RESOURCES_LEAKED).tags("resource", resource, "reason", reason).counter().count();
    }

    private double suppressed(String resource, String exception, String reason) {
        return this.registry.get(EXCEPTIONS_SUPPRESSED)
            .tags("resource", resource, "exception", exception, "reason", reason)
            .counter()
            .count();
    }

    /** A resource that closes quietly. */
    static final class Quiet implements AutoCloseable {

        volatile boolean closed;

        @Override
        public void close() {
            this.closed = true;
        }

    }

    /** A resource whose close throws. */
    static final class Failing implements AutoCloseable {

        private final Exception failure;

        Failing(Exception failure) {
            this.failure = failure;
        }

        @Override
        public void close() throws Exception {
            throw this.failure;
        }

    }

}
