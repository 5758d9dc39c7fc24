package io.github.managedscopes;

import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * docs/unwinding.md, rule 9: {@code null} arguments fail at registration, naming the
 * argument, and leave the stack untouched.
 */
class ExitStackRegistrationTest {

    private final EventLog log = new EventLog();

    private final ExitStack stack = new ExitStack();

    static Stream<Arguments> nullRegistrations() {
        EventLog log = new EventLog();
        return Stream.of(
                registration("register(null)", "resource", (stack) -> stack.register(null)),
                registration("register(null, name)", "resource", (stack) -> stack.register(null, "name")),
                registration("register(resource, null)", "name", (stack) -> stack.register(log.resource("r"), null)),
                registration("enterContext(null)", "manager", (stack) -> stack.enterContext(null)),
                registration("push(null)", "exit", (stack) -> stack.push(null)),
                registration("callback(null)", "cleanup", (stack) -> stack.callback(null)),
                registration("onFailure(null)", "compensation", (stack) -> stack.onFailure(null)),
                registration("onSuccess(null)", "action", (stack) -> stack.onSuccess(null)));
    }

    private static Arguments registration(String description, String argument, Registration registration) {
        return Arguments.of(description, argument, registration);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullRegistrations")
    void rejectsANullArgumentAtRegistrationNamingIt(String description, String argument, Registration registration) {
        ExitStack stack = new ExitStack(new RecordingListener());

        assertThatNullPointerException().isThrownBy(() -> registration.on(stack))
            .withMessageContaining("'" + argument + "'");

        assertThat(stack.size()).isZero();
        stack.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullRegistrations")
    void rejectsANullArgumentOnAStackWithoutListenerToo(String description, String argument,
            Registration registration) {
        assertThatNullPointerException().isThrownBy(() -> registration.on(this.stack))
            .withMessageContaining("'" + argument + "'");

        assertThat(this.stack.size()).isZero();
    }

    @Test
    void rejectsANullListenerNamingIt() {
        assertThatNullPointerException().isThrownBy(() -> new ExitStack(null)).withMessageContaining("'listener'");
    }

    @Test
    void rejectsANullScopeNameOrListenerForAScopeStackNamingIt() {
        assertThatNullPointerException().isThrownBy(() -> ExitStack.forScope(null, ExitStackListener.NONE))
            .withMessageContaining("'scope'");
        assertThatNullPointerException().isThrownBy(() -> ExitStack.forScope("the test scope", null))
            .withMessageContaining("'listener'");
    }

    @Test
    void keepsEarlierEntriesWhenALaterRegistrationIsRejected() {
        this.stack.register(this.log.resource("kept"));
        ThrowingCallable rejected = () -> this.stack.callback(null);

        assertThatNullPointerException().isThrownBy(rejected).withMessageContaining("'cleanup'");

        this.stack.close();
        assertThat(this.log.events()).containsExactly("close kept");
    }

    /** A registration call under test. */
    @FunctionalInterface
    interface Registration {

        void on(ExitStack stack) throws Exception;

    }

}
