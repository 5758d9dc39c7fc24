package io.github.managedscopes;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/unwinding.md, rule 6: a {@link VirtualMachineError} is never swallowed and wins
 * primacy, and an {@link InterruptedException} that does not propagate as itself leaves the
 * interrupt flag set.
 */
class ExitStackFatalFailureTest {

    private final EventLog log = new EventLog();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    @Test
    void neverSwallowsAVirtualMachineErrorEvenWithSuppressThrowable() throws Exception {
        ExitStack stack = new ExitStack();
        stack.enterContext(ContextManagers.suppress(Throwable.class));
        OutOfMemoryError oom = new OutOfMemoryError("test");

        assertThat(stack.exit(oom)).isFalse();
    }

    @Test
    void neverSwallowsAVirtualMachineErrorWhenAnExitReturnsTrue() throws Exception {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("outer", false));
        stack.push(this.log.exit("swallower", true));
        OutOfMemoryError oom = new OutOfMemoryError("test");

        assertThat(stack.exit(oom)).isFalse();

        assertThat(this.log.events()).containsExactly("exit swallower(test)", "exit outer(test)");
    }

    @Test
    void propagatesAVirtualMachineErrorThrownByACloseThroughASwallowingExit() throws Exception {
        ExitStack stack = new ExitStack();
        stack.enterContext(ContextManagers.suppress(Throwable.class));
        OutOfMemoryError oom = new OutOfMemoryError("test");
        stack.register(this.log.failingResource("r", oom));

        assertThat(catchThrowable(stack::close)).isSameAs(oom);
    }

    @Test
    void makesAVirtualMachineErrorThrownByAnExitPrimaryWithTheEarlierFailureSuppressed() {
        ExitStack stack = new ExitStack();
        OutOfMemoryError oom = new OutOfMemoryError("test");
        IllegalArgumentException later = new IllegalArgumentException("later");
        stack.register(this.log.failingResource("later", later));
        stack.push(this.log.failingExit("fatal", oom));
        IllegalStateException body = new IllegalStateException("body");

        assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(() -> stack.exit(body)).isSameAs(oom);

        assertThat(oom.getSuppressed()).containsExactly(body, later);
        assertThat(body.getSuppressed()).isEmpty();
    }

    @Test
    void makesAVirtualMachineErrorThrownByACloseThePrimaryFailureOfClose() {
        ExitStack stack = new ExitStack();
        StackOverflowError overflow = new StackOverflowError("test");
        IOException inner = new IOException("inner");
        stack.register(this.log.failingResource("fatal", overflow));
        stack.register(this.log.failingResource("inner", inner));

        assertThat(catchThrowable(stack::close)).isSameAs(overflow);
        assertThat(overflow.getSuppressed()).containsExactly(inner);
    }

    @Test
    void keepsAVirtualMachineErrorInFlightPrimaryWhenAnotherOneIsThrown() throws Exception {
        ExitStack stack = new ExitStack();
        OutOfMemoryError later = new OutOfMemoryError("later");
        stack.register(this.log.failingResource("later", later));
        OutOfMemoryError body = new OutOfMemoryError("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(later);
        assertThat(later.getSuppressed()).isEmpty();
    }

    @Test
    void setsTheInterruptFlagWhenAnInterruptedExceptionIsSwallowed() throws Exception {
        ExitStack stack = new ExitStack();
        stack.enterContext(ContextManagers.suppress(InterruptedException.class));

        assertThat(stack.exit(new InterruptedException("body"))).isTrue();

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void setsTheInterruptFlagWhenACloseSwallowedByAnExitWasInterrupted() {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("swallower", true));
        stack.register(this.log.failingResource("r", new InterruptedException("close")));

        stack.close();

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void setsTheInterruptFlagWhenAnInterruptedExceptionIsAttachedAsSuppressed() throws Exception {
        ExitStack stack = new ExitStack();
        InterruptedException interrupted = new InterruptedException("close");
        stack.register(this.log.failingResource("r", interrupted));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(interrupted);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void setsTheInterruptFlagWhenAnInterruptedBodyIsAttachedToAVirtualMachineError() {
        ExitStack stack = new ExitStack();
        OutOfMemoryError oom = new OutOfMemoryError("test");
        stack.register(this.log.failingResource("fatal", oom));
        stack.register(this.log.failingResource("interrupted", new InterruptedException("close")));

        assertThat(catchThrowable(stack::close)).isSameAs(oom);

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void setsTheInterruptFlagWhenCloseWrapsAnInterruptedException() {
        ExitStack stack = new ExitStack();
        InterruptedException interrupted = new InterruptedException("close");
        stack.register(this.log.failingResource("r", interrupted));

        assertThatExceptionOfType(UnwindException.class).isThrownBy(stack::close)
            .satisfies((wrapper) -> assertThat(wrapper.getCause()).isSameAs(interrupted));

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void leavesTheInterruptFlagAloneWhenAnInterruptedExceptionPropagatesAsItself() {
        ExitStack stack = new ExitStack();
        InterruptedException interrupted = new InterruptedException("close");
        stack.register(this.log.failingResource("outer", new IllegalStateException("outer")));
        stack.register(this.log.failingResource("r", interrupted));

        assertThat(catchThrowable(() -> stack.exit(null))).isSameAs(interrupted);

        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void leavesTheInterruptFlagAloneWhenExitReturnsFalseForAnInterruptedBody() throws Exception {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("r"));

        assertThat(stack.exit(new InterruptedException("body"))).isFalse();

        assertThat(Thread.interrupted()).isFalse();
    }

}
