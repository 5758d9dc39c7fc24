package io.github.managedscopes;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/unwinding.md, rules 3 and 4: swallowing exits, the contract of {@code exit()}, no
 * self-suppression, and an entered {@code ExitStack} composing as if flattened.
 */
class ExitStackSuppressionTest {

    private final EventLog log = new EventLog();

    @Test
    void swallowsTheFailureWhenAnExitReturnsTrueAndShowsTheNextExitNoFailure() throws Exception {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("outer", false));
        stack.push(this.log.exit("swallower", true));

        assertThat(stack.exit(new IllegalStateException("body"))).isTrue();

        assertThat(this.log.events()).containsExactly("exit swallower(body)", "exit outer(null)");
    }

    @Test
    void makesACloseFailureAfterASwallowTheNewFailure() throws Exception {
        ExitStack stack = new ExitStack();
        IllegalArgumentException later = new IllegalArgumentException("later");
        stack.register(this.log.failingResource("outer", later));
        stack.push(this.log.exit("swallower", true));
        IllegalStateException body = new IllegalStateException("body");

        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> stack.exit(body)).isSameAs(later);

        assertThat(later.getSuppressed()).isEmpty();
        assertThat(body.getSuppressed()).isEmpty();
    }

    @Test
    void ignoresAnExitReturningTrueWhenNothingIsInFlight() throws Exception {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("swallower", true));

        assertThat(stack.exit(null)).isFalse();
        assertThat(this.log.events()).containsExactly("exit swallower(null)");
    }

    @Test
    void returnsFalseFromExitOnACleanUnwindWithNoFailure() throws Exception {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("r"));

        assertThat(stack.exit(null)).isFalse();
        assertThat(this.log.events()).containsExactly("close r");
    }

    @Test
    void returnsFalseFromExitAndNeverThrowsTheFailureItWasHanded() throws Exception {
        ExitStack stack = new ExitStack();
        IOException closeFailure = new IOException("close");
        stack.register(this.log.failingResource("r", closeFailure));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(closeFailure);
    }

    @Test
    void throwsTheFirstNewFailureFromExitNullWithLaterOnesAttached() {
        ExitStack stack = new ExitStack();
        IOException outer = new IOException("outer");
        IOException inner = new IOException("inner");
        stack.register(this.log.failingResource("outer", outer));
        stack.register(this.log.failingResource("inner", inner));

        assertThatExceptionOfType(IOException.class).isThrownBy(() -> stack.exit(null)).isSameAs(inner);
        assertThat(inner.getSuppressed()).containsExactly(outer);
    }

    @Test
    void throwsACheckedFailureFromExitAsIsWithoutWrapping() {
        ExitStack stack = new ExitStack();
        IOException closeFailure = new IOException("close");
        stack.register(this.log.failingResource("r", closeFailure));
        stack.push(this.log.exit("swallower", true));

        Throwable thrown = catchThrowable(() -> stack.exit(new IllegalStateException("body")));

        assertThat(thrown).isSameAs(closeFailure);
    }

    @Test
    void attachesNothingWhenAnExitRethrowsTheFailureItWasHanded() throws Exception {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("outer", false));
        stack.push((failure) -> {
            throw EventLog.sneaky(failure);
        });
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).isEmpty();
        assertThat(this.log.events()).containsExactly("exit outer(body)");
    }

    @Test
    void keepsTheFailurePrimaryWhenAUserExitThrowsSomethingElse() throws Exception {
        ExitStack stack = new ExitStack();
        IOException exitFailure = new IOException("exit");
        stack.enterContext(ContextManagers.of(() -> "value", (value, failure) -> {
            throw exitFailure;
        }));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(exitFailure);
    }

    @Test
    void swallowsThroughAContextManagerEnteredIntoTheStack() throws Exception {
        ExitStack stack = new ExitStack();
        stack.enterContext(ContextManagers.suppress(IllegalStateException.class));

        assertThat(stack.exit(new IllegalStateException("body"))).isTrue();
        assertThat(stack.exit(new IllegalArgumentException("other"))).isFalse();
    }

    @Test
    void composesAnEnteredStackThatSwallowsThenFailsAsIfFlattened() throws Exception {
        assertComposesLikeFlattened((stack, log) -> {
            stack.register(log.failingResource("outer", new IOException("outer close")));
        }, (inner, log) -> {
            inner.register(log.failingResource("later", new IllegalArgumentException("later close")));
            inner.push(log.exit("swallower", true));
        }, true);
    }

    @Test
    void composesAnEnteredStackThatKeepsTheFailureAsIfFlattened() throws Exception {
        assertComposesLikeFlattened((stack, log) -> {
            stack.push(log.exit("outermost", false));
        }, (inner, log) -> {
            inner.register(log.failingResource("a", new IOException("a close")));
            inner.register(log.failingResource("b", new IllegalStateException("b close")));
        }, true);
    }

    @Test
    void composesAnEnteredStackThatSwallowsEverythingAsIfFlattened() throws Exception {
        assertComposesLikeFlattened((stack, log) -> {
            stack.onFailure(log.action("compensate"));
            stack.onSuccess(log.action("commit"));
        }, (inner, log) -> {
            inner.push(log.exit("swallower", true));
        }, true);
    }

    @Test
    void composesAnEnteredStackWhoseEntriesFailOnACleanUnwindAsIfFlattened() throws Exception {
        assertComposesLikeFlattened((stack, log) -> {
            stack.push(log.exit("outer", true));
            stack.register(log.failingResource("middle", new IOException("middle close")));
        }, (inner, log) -> {
            inner.register(log.failingResource("a", new IllegalStateException("a close")));
            inner.push(log.exit("swallower", true));
            inner.register(log.failingResource("b", new IllegalArgumentException("b close")));
        }, false);
    }

    @Test
    void composesAnEnteredStackWhoseEntryThrowsAFatalErrorAsIfFlattened() throws Exception {
        assertComposesLikeFlattened((stack, log) -> {
            stack.push(log.exit("outer", true));
        }, (inner, log) -> {
            inner.register(log.failingResource("fatal", new OutOfMemoryError("test")));
            inner.push(log.exit("swallower", true));
        }, true);
    }

    /** Registrations made against a stack, recording into a log. */
    @FunctionalInterface
    private interface Registrations {

        void on(ExitStack stack, EventLog log);

    }

    /**
     * Runs the same registrations twice: once with the inner ones on an {@code ExitStack}
     * entered into the outer one, once flattened onto the outer one, and compares events,
     * outcome and suppressed exceptions (by message, since each run builds its own).
     */
    private static void assertComposesLikeFlattened(Registrations outerEntries, Registrations innerEntries,
            boolean bodyFails) throws Exception {
        EventLog nestedLog = new EventLog();
        ExitStack nested = new ExitStack();
        outerEntries.on(nested, nestedLog);
        ExitStack inner = new ExitStack();
        innerEntries.on(inner, nestedLog);
        assertThat(nested.enterContext(inner)).isSameAs(inner);
        Outcome nestedOutcome = unwind(nested, bodyFails);

        EventLog flatLog = new EventLog();
        ExitStack flat = new ExitStack();
        outerEntries.on(flat, flatLog);
        innerEntries.on(flat, flatLog);
        Outcome flatOutcome = unwind(flat, bodyFails);

        assertThat(nestedLog.events()).isNotEmpty().isEqualTo(flatLog.events());
        assertThat(nestedOutcome).isEqualTo(flatOutcome);
    }

    private record Outcome(String result, String thrown, List<String> suppressed) {
    }

    private static Outcome unwind(ExitStack stack, boolean bodyFails) {
        Throwable body = bodyFails ? new IllegalStateException("body") : null;
        try {
            boolean swallowed = stack.exit(body);
            return new Outcome("returned " + swallowed, "none",
                    (body != null) ? messages(body.getSuppressed()) : List.of());
        }
        catch (Throwable ex) {
            return new Outcome("threw", ex.getClass().getName() + ": " + ex.getMessage(), messages(ex.getSuppressed()));
        }
    }

    private static List<String> messages(Throwable[] throwables) {
        return Arrays.stream(throwables).map(Throwable::getMessage).toList();
    }

}
