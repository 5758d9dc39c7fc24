package io.github.managedscopes.test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeRegistry;
import io.github.managedscopes.test.fixture.CleanScenario;
import io.github.managedscopes.test.fixture.LeakingScenario;
import io.github.managedscopes.test.fixture.LeakingWebScenario;
import io.github.managedscopes.test.fixture.WebFixtureApplication;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * {@link CheckManagedScopes} on plain tests (no Spring context), run through the JUnit Platform
 * test kit: a test that leaves a resource open or a scope active fails with a message naming
 * each and where it was registered; a test that closes everything passes.
 */
class ManagedScopesExtensionTests {

    @Test
    void failsATestThatLeavesAResourceOpenNamingItAndWhereItWasRegistered() {
        run(LeakingScenario.class).assertThatEvents()
            .haveExactly(1, event(test("leavesAReportFileOpen"), finishedWithFailure(instanceOf(AssertionError.class),
                    message((text) -> text.contains("resource 'report-file' is still open on a stack outside any scope")
                            && text.contains("registered at:\n      at " + LeakingScenario.class.getName()
                                    + ".leavesAReportFileOpen(LeakingScenario.java:")))));
    }

    @Test
    void failsATestThatLeavesAScopeActiveNamingTheScopeAndItsResources() {
        run(LeakingScenario.class).assertThatEvents()
            .haveExactly(1, event(test("handsAScopeToAnotherThreadAndNeverClosesTheLease"),
                    finishedWithFailure(instanceOf(AssertionError.class),
                            message((text) -> text.contains("a 'programmatic' scope opened on thread")
                                    && text.contains("is still active")
                                    && text.contains("resource 'socket' is still open on its 'programmatic' scope")
                                    && text.contains("at " + LeakingScenario.class.getName() + ".lambda$")))));
    }

    @Test
    void failsATestWhoseScopeWasGarbageCollectedWithoutBeingUnwoundNamingWhatItLeaked() {
        run(LeakingScenario.class).assertThatEvents()
            .haveExactly(1, event(test("dropsALeaseSoThatItsScopeIsGarbageCollectedBeforeTheTestEnds"),
                    finishedWithFailure(instanceOf(AssertionError.class),
                            message((text) -> text.contains("a 'programmatic' scope opened on thread")
                                    && text.contains("was garbage-collected")
                                    && text.contains("without having been unwound")
                                    && text.contains("resource 'cursor' was never closed")
                                    && text.contains("at " + LeakingScenario.class.getName() + ".lambda$")))));
    }

    @Test
    void failsASpringBootTestWhoseRequestScopeStaysActiveNamingTheRequestAndTheRegistrationSite() {
        run(LeakingWebScenario.class).assertThatEvents()
            .haveExactly(1, event(test("handsTheRequestScopeOffAndNeverClosesTheLease"),
                    finishedWithFailure(instanceOf(AssertionError.class),
                            message((text) -> text.contains("a 'request' scope opened on thread")
                                    && text.contains("resource 'socket' is still open on its 'request' scope")
                                    && text.contains("at " + WebFixtureApplication.class.getName()
                                            + "$ReportController.handOffAndForget(WebFixtureApplication.java:")))));
    }

    @Test
    void passesTestsThatCloseEverythingTheyOpen() {
        Events tests = run(CleanScenario.class);
        tests.assertThatEvents().haveExactly(2, event(test(), finishedSuccessfully()));
        tests.assertStatistics((stats) -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void assertionsNameTheOpenResourceAndSuggestCapturingSitesWhenTheyWereNotCaptured() {
        ScopeRegistry registry = new ScopeRegistry(ScopeRegistry.Subscriber.NONE, false);
        ExitStack stack = new ExitStack(registry);
        stack.register(() -> {
        }, "cursor");
        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> ManagedScopesAssertions.assertThat(registry).hasNothingOpen())
            .withMessageContaining("resource 'cursor' is still open")
            .withMessageContaining("set managed-scopes.leak-detection.threshold to see where it was registered");
        stack.close();
        ManagedScopesAssertions.assertThat(registry).hasNothingOpen();
    }

    @Test
    void aJobThatRunsInScopesOfItsOwnIsNotChargedToATestOnceTheWaitSawNothingOpen() throws Exception {
        ScopeRegistry registry = new ScopeRegistry(ScopeRegistry.Subscriber.NONE, false);
        AtomicBoolean stop = new AtomicBoolean();
        // A job like a @Scheduled method with @ManagedScope: a scope open half of the time.
        Thread job = new Thread(() -> {
            while (!stop.get()) {
                OpenScopeListener scope = registry.scopeOpened("method");
                busyFor(50_000);
                scope.scopeEnded("method", 50_000, false, ScopeEnding.RETURNED);
                busyFor(50_000);
            }
        }, "periodic-job");
        job.start();
        try {
            // Each assertion waits for a moment with nothing open and must judge that moment,
            // not a later one in which the job's next scope may have opened.
            for (int i = 0; i < 200; i++) {
                ManagedScopesAssertions.assertThat(registry).within(Duration.ofSeconds(10)).hasNothingOpen();
            }
        }
        finally {
            stop.set(true);
            job.join();
        }
    }

    private static void busyFor(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static Events run(Class<?> scenario) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(scenario)).execute().testEvents();
    }

}
