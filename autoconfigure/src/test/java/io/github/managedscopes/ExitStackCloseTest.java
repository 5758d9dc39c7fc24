package io.github.managedscopes;

import java.io.IOException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/unwinding.md, rule 5: {@code close()} throws unchecked failures unchanged and wraps a
 * checked one in {@link UnwindException}.
 */
class ExitStackCloseTest {

    private final EventLog log = new EventLog();

    @Test
    void throwsARuntimeExceptionFromCloseUnchanged() {
        ExitStack stack = new ExitStack();
        IllegalStateException failure = new IllegalStateException("close");
        stack.register(this.log.failingResource("r", failure));

        assertThat(catchThrowable(stack::close)).isSameAs(failure);
    }

    @Test
    void throwsAnErrorFromCloseUnchanged() {
        ExitStack stack = new ExitStack();
        AssertionError failure = new AssertionError("close");
        stack.register(this.log.failingResource("r", failure));

        assertThat(catchThrowable(stack::close)).isSameAs(failure);
    }

    @Test
    void wrapsACheckedFailureInAnUnwindExceptionWhoseCauseIsTheOriginal() {
        ExitStack stack = new ExitStack();
        IOException failure = new IOException("disk gone");
        stack.register(this.log.failingResource("r", failure));

        assertThatExceptionOfType(UnwindException.class).isThrownBy(stack::close)
            .satisfies((wrapper) -> assertThat(wrapper.getCause()).isSameAs(failure))
            .withMessageContaining("disk gone");
    }

    @Test
    void wrapsACheckedFailureThatCarriesSuppressedCloseFailuresWithoutLosingThem() {
        ExitStack stack = new ExitStack();
        IllegalStateException outer = new IllegalStateException("outer");
        SQLException inner = new SQLException("inner");
        stack.register(this.log.failingResource("outer", outer));
        stack.register(this.log.failingResource("inner", inner));

        Throwable thrown = catchThrowable(stack::close);

        assertThat(thrown).isExactlyInstanceOf(UnwindException.class).hasCause(inner);
        assertThat(thrown.getCause()).isSameAs(inner);
        assertThat(inner.getSuppressed()).containsExactly(outer);
    }

    @Test
    void doesNotWrapARuntimeFailureThatFollowsASwallowedCheckedOne() {
        ExitStack stack = new ExitStack();
        IllegalArgumentException later = new IllegalArgumentException("later");
        stack.register(this.log.failingResource("outer", later));
        stack.push(this.log.exit("swallower", true));
        stack.register(this.log.failingResource("inner", new IOException("inner")));

        assertThat(catchThrowable(stack::close)).isSameAs(later);
    }

    @Test
    void returnsNormallyFromCloseWhenASwallowingExitAbsorbsACloseFailure() {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("swallower", true));
        stack.register(this.log.failingResource("inner", new IOException("inner")));

        stack.close();

        assertThat(this.log.events()).containsExactly("close inner", "exit swallower(inner)");
    }

    @Test
    void buildsAnUnwindExceptionWithoutAStackTraceOfItsOwn() {
        IOException cause = new IOException("cause");

        UnwindException wrapper = new UnwindException(cause);

        assertThat(wrapper.getCause()).isSameAs(cause);
        assertThat(wrapper.getStackTrace()).isEmpty();
        assertThat(wrapper).isInstanceOf(RuntimeException.class);
    }

}
