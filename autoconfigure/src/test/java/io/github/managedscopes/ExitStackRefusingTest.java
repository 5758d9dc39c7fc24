package io.github.managedscopes;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link ExitStack#refusing}: a stack that stands for one that does not exist refuses what is
 * offered to it as an unwound scope's stack does, so that nothing offered to it leaks, and
 * every call says why.
 */
class ExitStackRefusingTest {

    private static final String REASON = "No test scope on this thread. Open one first.";

    private final EventLog log = new EventLog();

    private final ExitStack stack = ExitStack.refusing(REASON);

    @Test
    void closesARegisteredResourceAtOnceAndFailsNamingItAndTheReason() {
        assertThatIllegalStateException().isThrownBy(() -> this.stack.register(this.log.resource("file"), "file"))
            .withMessage("Cannot register 'file', so it was closed at once. " + REASON);
        assertThat(this.log.events()).containsExactly("close file");
    }

    @Test
    void attachesWhatTheRefusedResourceThrewOnClosing() {
        IOException closeFailure = new IOException("disk gone");
        IllegalStateException refused = catchThrowableOfType(IllegalStateException.class,
                () -> this.stack.register(this.log.failingResource("file", closeFailure)));

        assertThat(refused).hasMessageEndingWith(REASON);
        assertThat(refused.getSuppressed()).containsExactly(closeFailure);
        assertThat(this.log.events()).containsExactly("close file");
    }

    @Test
    void runsCleanupsAndExitsAtOnceAndNeverACompensation() {
        assertThatIllegalStateException().isThrownBy(() -> this.stack.callback(this.log.action("cleanup")))
            .withMessageContaining("so it was run at once. " + REASON);
        assertThatIllegalStateException().isThrownBy(() -> this.stack.push(this.log.exit("exit", false)))
            .withMessageContaining("so it was run at once. " + REASON);
        assertThatIllegalStateException().isThrownBy(() -> this.stack.onFailure(this.log.action("compensation")))
            .withMessageContaining("so it will never run. " + REASON);

        assertThat(this.log.events()).containsExactly("run cleanup", "exit exit(null)");
    }

    @Test
    void doesNotEnterAContextManager() {
        ThrowingConsumer<String> exit = (value) -> this.log.add("exit");
        ContextManager<String> manager = ContextManagers.of(() -> {
            this.log.add("enter");
            return "value";
        }, exit);

        assertThatIllegalStateException().isThrownBy(() -> this.stack.enterContext(manager))
            .withMessageContaining("so it was not entered. " + REASON);
        assertThat(this.log.events()).isEmpty();
    }

    @Test
    void failsEveryOtherCallWithTheReason() {
        assertThatIllegalStateException().isThrownBy(this.stack::close).withMessage(REASON);
        assertThatIllegalStateException().isThrownBy(this.stack::size).withMessage(REASON);
        assertThatIllegalStateException().isThrownBy(this.stack::popAll).withMessage(REASON);
        assertThatIllegalStateException().isThrownBy(() -> new ExitStack().enterContext(this.stack))
            .withMessage(REASON);
    }

    @Test
    void keepsTheFailureInFlightOfAnExitAsSuppressed() {
        IOException inFlight = new IOException("in flight");
        IllegalStateException refused = catchThrowableOfType(IllegalStateException.class,
                () -> this.stack.exit(inFlight));

        assertThat(refused).hasMessage(REASON);
        assertThat(refused.getSuppressed()).containsExactly(inFlight);
    }

    @Test
    void rejectsANullReasonNamingIt() {
        assertThatNullPointerException().isThrownBy(() -> ExitStack.refusing(null)).withMessageContaining("'reason'");
    }

}
