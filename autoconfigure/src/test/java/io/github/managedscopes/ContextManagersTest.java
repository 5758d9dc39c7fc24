package io.github.managedscopes;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.github.managedscopes.ContextManagers.ExitAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The {@code contextlib} counterparts of {@link ContextManagers}: {@code suppress},
 * {@code closing}, {@code nullContext} and the two {@code of(...)} factories.
 */
class ContextManagersTest {

    private final List<String> events = new ArrayList<>();

    @Test
    void suppressSwallowsTheGivenTypesAndTheirSubtypes() throws Exception {
        ContextManager<Void> suppress = ContextManagers.suppress(IOException.class, IllegalStateException.class);

        assertThat(suppress.enter()).isNull();
        assertThat(suppress.exit(new FileNotFoundException("subtype"))).isTrue();
        assertThat(suppress.exit(new IllegalStateException("listed"))).isTrue();
        assertThat(suppress.exit(new IllegalArgumentException("other"))).isFalse();
        assertThat(suppress.exit(null)).isFalse();
    }

    @Test
    void suppressNeverSwallowsAVirtualMachineError() throws Exception {
        ContextManager<Void> suppress = ContextManagers.suppress(Throwable.class);

        assertThat(suppress.exit(new OutOfMemoryError("test"))).isFalse();
        assertThat(suppress.exit(new StackOverflowError("test"))).isFalse();
        assertThat(suppress.exit(new AssertionError("not fatal"))).isTrue();
    }

    @Test
    void suppressOnAStackHidesTheFailureFromOuterEntries() throws Exception {
        ExitStack stack = new ExitStack();
        stack.onFailure(() -> this.events.add("compensate"));
        stack.onSuccess(() -> this.events.add("commit"));
        stack.enterContext(ContextManagers.suppress(IOException.class));

        assertThat(stack.exit(new IOException("body"))).isTrue();
        assertThat(this.events).containsExactly("commit");
    }

    @Test
    void suppressRequiresAtLeastOneType() {
        assertThatIllegalArgumentException().isThrownBy(ContextManagers::suppress).withMessageContaining("'types'");
    }

    @Test
    void suppressRejectsNullTypesNamingThem() {
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.suppress((Class<? extends Throwable>[]) null))
            .withMessageContaining("'types'");
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.suppress(IOException.class, null))
            .withMessageContaining("'types'").withMessageContaining("1");
    }

    @Test
    void suppressIsNotAffectedByLaterChangesToTheArrayItWasGiven() throws Exception {
        @SuppressWarnings("unchecked")
        Class<? extends Throwable>[] types = new Class[] { IOException.class };
        ContextManager<Void> suppress = ContextManagers.suppress(types);
        types[0] = IllegalStateException.class;

        assertThat(suppress.exit(new IOException("kept"))).isTrue();
        assertThat(suppress.exit(new IllegalStateException("not listed"))).isFalse();
    }

    @Test
    void closingHandsOutTheThingAndClosesItOnEveryExitWithoutSwallowing() throws Exception {
        StringBuilder thing = new StringBuilder("thing");
        ContextManager<StringBuilder> closing = ContextManagers.closing(thing, (value) -> this.events.add("closed " + value));

        assertThat(closing.enter()).isSameAs(thing);
        assertThat(closing.exit(new IllegalStateException("failure"))).isFalse();
        assertThat(closing.exit(null)).isFalse();
        assertThat(this.events).containsExactly("closed thing", "closed thing");
    }

    @Test
    void closingAttachesTheCloserFailureToTheFailureInFlight() throws Exception {
        ExitStack stack = new ExitStack();
        IOException closeFailure = new IOException("closer");
        stack.enterContext(ContextManagers.closing("thing", (value) -> {
            throw closeFailure;
        }));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();
        assertThat(body.getSuppressed()).containsExactly(closeFailure);
    }

    @Test
    void closingRejectsNullArgumentsNamingThem() {
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.closing(null, (value) -> {
        })).withMessageContaining("'thing'");
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.closing("thing", null))
            .withMessageContaining("'closer'");
    }

    @Test
    void nullContextHandsOutItsValueAndDoesNothingOnExit() throws Exception {
        Object value = new Object();
        ContextManager<Object> nullContext = ContextManagers.nullContext(value);

        assertThat(nullContext.enter()).isSameAs(value);
        assertThat(nullContext.exit(new IllegalStateException("failure"))).isFalse();
        assertThat(ContextManagers.nullContext(null).enter()).isNull();
    }

    @Test
    void ofRunsTheExitWithTheEnteredValueOnEveryExitAndNeverSwallows() throws Exception {
        ExitStack stack = new ExitStack();
        String value = stack.enterContext(ContextManagers.of(() -> "connection",
                (entered) -> this.events.add("released " + entered)));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(value).isEqualTo("connection");
        assertThat(stack.exit(body)).isFalse();
        assertThat(this.events).containsExactly("released connection");
        assertThat(body.getSuppressed()).isEmpty();
    }

    @Test
    void ofWithAnExitActionSeesTheFailureAndMaySwallowIt() throws Exception {
        ContextManager<String> manager = ContextManagers.of(() -> "value", (value, failure) -> {
            this.events.add(value + " saw " + ((failure != null) ? failure.getMessage() : "nothing"));
            return failure instanceof IllegalStateException;
        });
        ExitStack stack = new ExitStack();
        stack.enterContext(manager);
        assertThat(stack.exit(new IllegalStateException("swallow me"))).isTrue();
        stack.enterContext(manager);
        assertThat(stack.exit(new IllegalArgumentException("keep me"))).isFalse();
        stack.enterContext(manager);
        stack.close();

        assertThat(this.events).containsExactly("value saw swallow me", "value saw keep me", "value saw nothing");
    }

    @Test
    void ofRefusesToBeEnteredTwiceWithoutAnExit() throws Exception {
        ContextManager<String> manager = ContextManagers.of(() -> "value", (value) -> this.events.add("exit"));
        manager.enter();

        assertThatIllegalStateException().isThrownBy(manager::enter).withMessageContaining("already entered");
        manager.exit(null);
        assertThat(manager.enter()).isEqualTo("value");
    }

    @Test
    void ofRefusesAnExitWithoutAnEnter() {
        ContextManager<String> manager = ContextManagers.of(() -> "value", (value) -> this.events.add("exit"));

        assertThatIllegalStateException().isThrownBy(() -> manager.exit(null)).withMessageContaining("not entered");
        assertThat(this.events).isEmpty();
    }

    @Test
    void ofStaysEnterableWhenEnteringFailed() throws Exception {
        int[] attempts = { 0 };
        ContextManager<String> manager = ContextManagers.of(() -> {
            if (attempts[0]++ == 0) {
                throw new IOException("first attempt");
            }
            return "value";
        }, (value) -> this.events.add("exit " + value));

        assertThat(catchThrowable(manager::enter)).hasMessage("first attempt");
        assertThat(manager.enter()).isEqualTo("value");
    }

    @Test
    void ofRejectsNullArgumentsNamingThem() {
        ThrowingConsumer<Object> consumer = (value) -> {
        };
        ExitAction<Object> action = (value, failure) -> false;
        ThrowingSupplier<Object> supplier = () -> "value";

        assertThatNullPointerException().isThrownBy(() -> ContextManagers.of(null, consumer))
            .withMessageContaining("'enter'");
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.of(supplier, (ThrowingConsumer<Object>) null))
            .withMessageContaining("'exit'");
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.of(null, action))
            .withMessageContaining("'enter'");
        assertThatNullPointerException().isThrownBy(() -> ContextManagers.of(supplier, (ExitAction<Object>) null))
            .withMessageContaining("'exit'");
    }

    @Test
    void managersAreReportedUnderWhatTheyDoNotAnAnonymousClassName() throws Exception {
        RecordingListener listener = new RecordingListener();
        ExitStack stack = new ExitStack(listener);

        stack.enterContext(ContextManagers.suppress(IOException.class, IllegalStateException.class));
        stack.enterContext(ContextManagers.closing(new StringBuilder(), (builder) -> builder.setLength(0)));
        stack.enterContext(ContextManagers.nullContext("value"));
        stack.enterContext(ContextManagers.of(() -> "value", (value) -> {
        }));
        stack.close();

        assertThat(listener.calls()).filteredOn((call) -> call.startsWith("registered ")).containsExactly(
                "registered suppress[IOException, IllegalStateException]", "registered closing(StringBuilder)",
                "registered nullContext", "registered contextmanager(ContextManagersTest)");
    }

}
