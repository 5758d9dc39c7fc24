package io.github.managedscopes;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/unwinding.md, rule 8: reuse, {@code popAll()}, registration during an unwind,
 * re-entrant unwinds and what the registration methods return.
 */
class ExitStackLifecycleTest {

    private final EventLog log = new EventLog();

    @Test
    void canBeReusedAfterItHasBeenUnwound() {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("first"));
        stack.close();
        stack.register(this.log.resource("second"));
        stack.close();
        stack.close();

        assertThat(this.log.events()).containsExactly("close first", "close second");
    }

    @Test
    void canBeReusedAfterAnUnwindThatFailed() {
        ExitStack stack = new ExitStack();
        stack.register(this.log.failingResource("first", new IllegalStateException("first")));
        assertThat(catchThrowable(stack::close)).hasMessage("first");

        stack.register(this.log.resource("second"));
        stack.close();

        assertThat(this.log.events()).containsExactly("close first", "close second");
    }

    @Test
    void movesEveryEntryToTheStackReturnedByPopAll() {
        ExitStack original = new ExitStack();
        for (int i = 0; i < 20; i++) {
            original.register(this.log.resource("r" + i));
        }

        ExitStack moved = original.popAll();

        assertThat(moved).isNotSameAs(original);
        assertThat(original.size()).isZero();
        assertThat(moved.size()).isEqualTo(20);
        original.close();
        assertThat(this.log.events()).isEmpty();
        moved.close();
        assertThat(this.log.events()).hasSize(20).startsWith("close r19", "close r18").endsWith("close r0");
    }

    @Test
    void keepsAcceptingEntriesOnTheOriginalAfterPopAll() {
        ExitStack original = new ExitStack();
        original.register(this.log.resource("moved"));
        ExitStack moved = original.popAll();
        original.register(this.log.resource("kept"));

        original.close();
        assertThat(this.log.events()).containsExactly("close kept");
        moved.close();
        assertThat(this.log.events()).containsExactly("close kept", "close moved");
    }

    @Test
    void handsOpenedResourcesToTheCallerWithPopAllOnceEverythingSucceeded() {
        ExitStack handedOver;
        try (ExitStack stack = new ExitStack()) {
            stack.register(this.log.resource("a"));
            stack.register(this.log.resource("b"));
            handedOver = stack.popAll();
        }
        assertThat(this.log.events()).isEmpty();
        handedOver.close();
        assertThat(this.log.events()).containsExactly("close b", "close a");
    }

    @Test
    void runsEntriesRegisteredDuringTheUnwindInTheSameUnwindNext() {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("first"));
        stack.callback(() -> {
            this.log.add("run registering");
            stack.register(this.log.resource("late"));
            stack.callback(this.log.action("later"));
        });
        stack.register(this.log.resource("last"));

        stack.close();

        assertThat(this.log.events())
            .containsExactly("close last", "run registering", "run later", "close late", "close first");
        assertThat(stack.size()).isZero();
    }

    @Test
    void acceptsRegistrationsFromItsOwnEntriesWhileAScopeStackUnwindsAndSealsItAfterwards() {
        ExitStack stack = ExitStack.forScope("the test scope", ExitStackListener.NONE);
        stack.callback(() -> stack.register(this.log.resource("registered while unwinding")));

        stack.close();

        assertThat(this.log.events()).containsExactly("close registered while unwinding");
        assertThat(catchThrowable(() -> stack.register(this.log.resource("late"))))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("the test scope");
    }

    @Test
    void failsWithIllegalStateExceptionWhenAnEntryClosesItsOwnStack() {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("outer"));
        stack.callback(stack::close);

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(stack::close)
            .withMessageContaining("own entries");
        assertThat(this.log.events()).containsExactly("close outer");
    }

    @Test
    void failsWithIllegalStateExceptionWhenAnEntryExitsItsOwnStack() {
        ExitStack stack = new ExitStack();
        AtomicReference<Boolean> returned = new AtomicReference<>();
        stack.callback(() -> returned.set(stack.exit(null)));

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(stack::close);
        assertThat(returned.get()).isNull();
    }

    @Test
    void attachesTheIllegalStateOfAReentrantCloseToTheFailureInFlight() throws Exception {
        ExitStack stack = new ExitStack();
        stack.callback(stack::close);
        IOException body = new IOException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void losesNeitherTheFailureInFlightNorTheRefusalWhenAStackEnteredIntoItselfIsExited() throws Exception {
        ExitStack stack = new ExitStack();
        stack.enterContext(stack);
        IOException body = new IOException("body");

        Throwable propagated = catchThrowable(() -> {
            if (!stack.exit(body)) {
                throw body;
            }
        });

        assertThat(Reachability.from(propagated)).as("rule 3: nothing is lost").contains(body)
            .anySatisfy((failure) -> assertThat(failure).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void staysUsableAfterAReentrantCloseWasRefused() {
        ExitStack stack = new ExitStack();
        stack.callback(stack::close);
        assertThat(catchThrowable(stack::close)).isInstanceOf(IllegalStateException.class);

        stack.register(this.log.resource("next"));
        stack.close();

        assertThat(this.log.events()).containsExactly("close next");
    }

    @Test
    void returnsTheResourceFromRegister() {
        ExitStack stack = new ExitStack();
        EventLog.Resource resource = this.log.resource("r");

        assertThat(stack.register(resource)).isSameAs(resource);
        assertThat(stack.register(resource, "named")).isSameAs(resource);
    }

    @Test
    void returnsTheEnteredValueFromEnterContext() throws Exception {
        ExitStack stack = new ExitStack();
        Object value = new Object();

        assertThat(stack.enterContext(ContextManagers.nullContext(value))).isSameAs(value);
        assertThat(stack.size()).isOne();
    }

    @Test
    void returnsTheStackFromEveryOtherRegistrationMethod() {
        ExitStack stack = new ExitStack();

        assertThat(stack.push(this.log.exit("e", false))).isSameAs(stack);
        assertThat(stack.callback(this.log.action("c"))).isSameAs(stack);
        assertThat(stack.onFailure(this.log.action("f"))).isSameAs(stack);
        assertThat(stack.onSuccess(this.log.action("s"))).isSameAs(stack);
        assertThat(stack.enter()).isSameAs(stack);
        assertThat(stack.size()).isEqualTo(4);
    }

    @Test
    void registersNothingWhenEnteringAContextManagerFails() {
        ExitStack stack = new ExitStack();
        IOException enterFailure = new IOException("enter");

        assertThat(catchThrowable(() -> stack.enterContext(ContextManagers.of(() -> {
            throw enterFailure;
        }, (value) -> this.log.add("exit"))))).isSameAs(enterFailure);

        assertThat(stack.size()).isZero();
        stack.close();
        assertThat(this.log.events()).isEmpty();
    }

    @Test
    void countsEntriesOfEveryKindInSize() throws Exception {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("r"));
        stack.enterContext(ContextManagers.nullContext("v"));
        stack.push(this.log.exit("e", false));
        stack.callback(this.log.action("c"));
        stack.onFailure(this.log.action("f"));
        stack.onSuccess(this.log.action("s"));

        assertThat(stack.size()).isEqualTo(6);
        stack.close();
        assertThat(stack.size()).isZero();
    }

}
