package io.github.managedscopes;

import java.io.IOException;
import java.io.StringReader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/unwinding.md rule 3 and docs/observability.md (meters): what a stack reports through the
 * {@link ExitStackListener} SPI, and the sealing of a scope's stack.
 */
class ExitStackListenerTest {

    private final EventLog log = new EventLog();

    private final RecordingListener listener = new RecordingListener();

    @Test
    void reportsRegistrationsAndClosesUnderTheClassNameWithoutPackage() {
        ExitStack stack = new ExitStack(this.listener);
        stack.register(new StringReader("text"));
        stack.close();

        assertThat(this.listener.calls())
            .containsExactly("registered StringReader", "closed StringReader token:StringReader");
    }

    @Test
    void reportsARegistrationUnderTheNameItWasGiven() {
        ExitStack stack = new ExitStack(this.listener);
        stack.register(this.log.resource("r"), "orders-db");
        stack.close();

        assertThat(this.listener.calls()).containsExactly("registered orders-db", "closed orders-db token:orders-db");
    }

    @Test
    void reportsEnteredContextManagersAndStacksAsResources() throws Exception {
        ExitStack stack = new ExitStack(this.listener);
        stack.enterContext(new ExitStack());
        stack.close();

        assertThat(this.listener.calls()).containsExactly("registered ExitStack", "closed ExitStack token:ExitStack");
    }

    @Test
    void reportsLambdaResourcesUnderABoundedName() {
        ExitStack stack = new ExitStack(this.listener);
        stack.register(() -> this.log.add("first lambda"));
        stack.register(() -> this.log.add("second lambda"));
        stack.close();

        assertThat(this.listener.calls()).hasSize(4).allSatisfy((call) -> assertThat(call)
            .contains("ExitStackListenerTest$$Lambda").doesNotContain("/").doesNotContain("io.github"));
        assertThat(this.listener.calls().get(0)).isEqualTo(this.listener.calls().get(1));
    }

    @Test
    void reportsACloseFailureAndItsSuppressionDuringAFailure() throws Exception {
        ExitStack stack = new ExitStack(this.listener);
        IOException closeFailure = new IOException("close failure");
        stack.register(this.log.failingResource("r", closeFailure), "failing");
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(this.listener.calls()).containsExactly("registered failing",
                "closed failing token:failing failed close failure",
                "suppressed failing close failure CLOSE_DURING_FAILURE");
        assertThat(this.listener.suppressed()).singleElement().isSameAs(closeFailure);
    }

    @Test
    void reportsNoSuppressionWhenACloseFailureBecomesTheFailure() {
        ExitStack stack = new ExitStack(this.listener);
        stack.register(this.log.failingResource("r", new IllegalStateException("close failure")), "failing");

        assertThat(catchThrowable(stack::close)).hasMessage("close failure");

        assertThat(this.listener.calls()).noneMatch((call) -> call.startsWith("suppressed"));
    }

    @Test
    void reportsASwallowedFailure() throws Exception {
        ExitStack stack = new ExitStack(this.listener);
        stack.enterContext(ContextManagers.suppress(IllegalStateException.class));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isTrue();

        assertThat(this.listener.calls()).filteredOn((call) -> call.startsWith("suppressed"))
            .singleElement().asString().endsWith("body SWALLOWED");
        assertThat(this.listener.suppressed()).singleElement().isSameAs(body);
    }

    @Test
    void reportsAFailureSwallowedByAPushedExit() throws Exception {
        ExitStack stack = new ExitStack(this.listener);
        stack.push(this.log.exit("swallower", true));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isTrue();

        assertThat(this.listener.suppressed()).singleElement().isSameAs(body);
        assertThat(this.listener.calls()).singleElement().asString().endsWith("body SWALLOWED");
    }

    @Test
    void addsAFailureOfTheListenerToTheFailureInFlightForAnEnteredContextManager() throws Exception {
        IllegalStateException listenerFailure = new IllegalStateException("listener");
        ExitStack stack = new ExitStack(failingOnClose(listenerFailure));
        stack.enterContext(ContextManagers.nullContext("value"));
        IllegalArgumentException body = new IllegalArgumentException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(listenerFailure);
    }

    @Test
    void addsAFailureOfTheListenerToTheFailureInFlightForAnEnteredStackToo() throws Exception {
        IllegalStateException listenerFailure = new IllegalStateException("listener");
        ExitStack stack = new ExitStack(failingOnClose(listenerFailure));
        stack.enterContext(new ExitStack());
        IllegalArgumentException body = new IllegalArgumentException("body");

        Throwable propagated = catchThrowable(() -> {
            if (!stack.exit(body)) {
                throw body;
            }
        });

        assertThat(propagated).as("the entered stack did not swallow the failure").isSameAs(body);
        assertThat(body.getSuppressed()).containsExactly(listenerFailure);
    }

    @Test
    void makesAFailureOfTheListenerTheFailureWhenAnEnteredStackSwallowedTheFailureInFlight() throws Exception {
        IllegalStateException listenerFailure = new IllegalStateException("listener");
        ExitStack stack = new ExitStack(failingOnClose(listenerFailure));
        ExitStack inner = new ExitStack();
        inner.push(this.log.exit("swallower", true));
        stack.enterContext(inner);

        assertThat(catchThrowable(() -> stack.exit(new IllegalArgumentException("body")))).isSameAs(listenerFailure);
    }

    private static ExitStackListener failingOnClose(RuntimeException failure) {
        return new ExitStackListener() {

            @Override
            public void resourceClosed(String name, Object token, Throwable closeFailure) {
                throw failure;
            }

        };
    }

    @Test
    void refusesARegistrationOnAnEndedScopeNamingTheScopeAndClosesTheResourceAtOnce() {
        ExitStack stack = ExitStack.forScope("the test scope", this.listener);
        stack.register(this.log.resource("in time"));
        stack.close();
        EventLog.Resource late = this.log.resource("late");

        assertThatIllegalStateException().isThrownBy(() -> stack.register(late, "late-resource"))
            .withMessageContaining("the test scope").withMessageContaining("late-resource");

        assertThat(late.closes()).isOne();
        assertThat(this.log.events()).containsExactly("close in time", "close late");
        assertThat(this.listener.calls()).endsWith("late late-resource");
        assertThat(stack.size()).isZero();
    }

    @Test
    void refusesEveryKindOfLateRegistrationOnAnEndedScopeAndRunsWhatWasPassedAtOnce() {
        ExitStack stack = ExitStack.forScope("the test scope", this.listener);
        stack.close();

        assertThatIllegalStateException().isThrownBy(() -> stack.callback(this.log.action("callback")))
            .withMessageContaining("the test scope").withMessageContaining("so it was run at once.");
        assertThatIllegalStateException().isThrownBy(() -> stack.push(this.log.exit("exit", true)))
            .withMessageContaining("the test scope").withMessageContaining("so it was run at once.");
        assertThatIllegalStateException().isThrownBy(() -> stack.register(this.log.resource("resource")))
            .withMessageContaining("the test scope")
            .withMessageContaining("Resource")
            .withMessageContaining("so it was closed at once.");
        assertThatIllegalStateException().isThrownBy(() -> stack.onSuccess(this.log.action("follow-up")))
            .withMessageContaining("the test scope").withMessageContaining("so it will never run.");

        assertThat(this.log.events()).containsExactly("run callback", "exit exit(null)", "close resource");
        assertThat(this.listener.calls()).filteredOn((call) -> call.startsWith("late")).hasSize(4);
    }

    @Test
    void doesNotEnterAContextManagerOnAnEndedScope() {
        ExitStack stack = ExitStack.forScope("the test scope", this.listener);
        stack.close();

        assertThatIllegalStateException()
            .isThrownBy(() -> stack.enterContext(ContextManagers.of(() -> {
                this.log.add("entered");
                return "value";
            }, (value) -> this.log.add("exited"))))
            .withMessageContaining("the test scope");

        assertThat(this.log.events()).isEmpty();
        assertThat(this.listener.calls()).singleElement().asString().startsWith("late ");
    }

    @Test
    void attachesTheFailureOfClosingARefusedResourceToTheRefusal() {
        ExitStack stack = ExitStack.forScope("the test scope", ExitStackListener.NONE);
        stack.close();
        IOException closeFailure = new IOException("close failure");

        assertThatIllegalStateException()
            .isThrownBy(() -> stack.register(this.log.failingResource("late", closeFailure)))
            .satisfies((refusal) -> assertThat(refusal.getSuppressed()).containsExactly(closeFailure));
    }

    @Test
    void unwindsAScopeStackOnlyOnce() throws Exception {
        ExitStack stack = ExitStack.forScope("the test scope", this.listener);
        stack.push(this.log.exit("exit", true));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isTrue();
        stack.close();
        assertThat(stack.exit(new IllegalStateException("again"))).isFalse();

        assertThat(this.log.events()).containsExactly("exit exit(body)");
    }

    @Test
    void worksWithTheNoOpListener() throws Exception {
        ExitStack stack = ExitStack.forScope("the test scope", ExitStackListener.NONE);
        stack.register(this.log.resource("r"), "named");
        stack.register(this.log.failingResource("failing", new IOException("close failure")));
        stack.push(this.log.exit("swallower", true));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(catchThrowable(() -> stack.exit(body))).hasMessage("close failure");
        assertThatIllegalStateException().isThrownBy(() -> stack.register(this.log.resource("late")))
            .withMessageContaining("the test scope");

        assertThat(this.log.events()).containsExactly("exit swallower(body)", "close failing", "close r", "close late");
    }

    @Test
    void namesTheScopeInToString() {
        assertThat(ExitStack.forScope("the test scope", ExitStackListener.NONE)).asString().contains("the test scope");
    }

}
