package io.github.managedscopes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * docs/unwinding.md, rules 1, 2, 7 and 10: order, exactly-once, the in-flight failure kept
 * primary, no recursion, and onFailure/onSuccess deciding at their own turn.
 */
class ExitStackUnwindingTest {

    private static final int ENTRIES = 5;

    private final EventLog log = new EventLog();

    @Test
    void closesResourcesInReverseRegistrationOrder() {
        try (ExitStack stack = new ExitStack()) {
            for (int i = 0; i < ENTRIES; i++) {
                stack.register(this.log.resource("r" + i));
            }
            assertThat(stack.size()).isEqualTo(ENTRIES);
        }
        assertThat(this.log.events()).containsExactly("close r4", "close r3", "close r2", "close r1", "close r0");
    }

    static Stream<Arguments> failingPositions() {
        return IntStream.range(0, ENTRIES).boxed()
                .flatMap((position) -> Stream.of(Arguments.of(position, false), Arguments.of(position, true)));
    }

    @ParameterizedTest(name = "failing entry at {0}, body fails: {1}")
    @MethodSource("failingPositions")
    void closesEveryEntryOnceInReverseOrderWhateverPositionFails(int failingPosition, boolean bodyFails) {
        ExitStack stack = new ExitStack();
        List<EventLog.Resource> resources = new ArrayList<>();
        IllegalStateException closeFailure = new IllegalStateException("close failure");
        for (int i = 0; i < ENTRIES; i++) {
            resources.add(stack.register((i == failingPosition) ? this.log.failingResource("r" + i, closeFailure)
                    : this.log.resource("r" + i)));
        }
        IllegalArgumentException bodyFailure = new IllegalArgumentException("body");
        Throwable propagated = catchThrowable(() -> {
            if (bodyFails) {
                assertThat(stack.exit(bodyFailure)).isFalse();
                throw bodyFailure;
            }
            stack.close();
        });
        assertThat(this.log.events()).containsExactly("close r4", "close r3", "close r2", "close r1", "close r0");
        assertThat(resources).allSatisfy((resource) -> assertThat(resource.closes()).isOne());
        if (bodyFails) {
            assertThat(propagated).isSameAs(bodyFailure);
            assertThat(bodyFailure.getSuppressed()).containsExactly(closeFailure);
        }
        else {
            assertThat(propagated).isSameAs(closeFailure);
            assertThat(closeFailure.getSuppressed()).isEmpty();
        }
        assertThat(stack.size()).isZero();
    }

    @Test
    void keepsTheBodyFailurePrimaryAndAttachesCloseFailuresInUnwindOrder() throws Exception {
        ExitStack stack = new ExitStack();
        IOException first = new IOException("first registered");
        IllegalStateException second = new IllegalStateException("second registered");
        AssertionError third = new AssertionError("third registered");
        stack.register(this.log.failingResource("r0", first));
        stack.register(this.log.failingResource("r1", second));
        stack.register(this.log.resource("r2"));
        stack.register(this.log.failingResource("r3", third));
        IllegalArgumentException body = new IllegalArgumentException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(third, second, first);
        assertThat(first.getSuppressed()).isEmpty();
        assertThat(second.getSuppressed()).isEmpty();
        assertThat(third.getSuppressed()).isEmpty();
    }

    @Test
    void makesTheFirstCloseFailureTheFailureWhenTheBodySucceeds() {
        ExitStack stack = new ExitStack();
        IllegalStateException outer = new IllegalStateException("outer");
        IllegalArgumentException inner = new IllegalArgumentException("inner");
        stack.register(this.log.failingResource("outer", outer));
        stack.register(this.log.failingResource("inner", inner));

        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(stack::close).isSameAs(inner);
        assertThat(inner.getSuppressed()).containsExactly(outer);
    }

    @Test
    void handsEveryExitTheFailureInFlightAtItsTurn() throws Exception {
        ExitStack stack = new ExitStack();
        stack.push(this.log.exit("outer", false));
        stack.register(this.log.failingResource("closing", new IllegalStateException("close failure")));
        stack.push(this.log.exit("inner", false));

        assertThat(catchThrowable(stack::close)).hasMessage("close failure");
        assertThat(this.log.events()).containsExactly("exit inner(null)", "close closing", "exit outer(close failure)");
    }

    @Test
    void unwindsAMillionEntriesWithoutRecursion() {
        int count = 1_000_000;
        AtomicInteger next = new AtomicInteger(count - 1);
        AtomicInteger outOfOrder = new AtomicInteger();
        ExitStack stack = new ExitStack();
        for (int i = 0; i < count; i++) {
            int expected = i;
            stack.callback(() -> {
                if (next.getAndDecrement() != expected) {
                    outOfOrder.incrementAndGet();
                }
            });
        }
        assertThat(stack.size()).isEqualTo(count);

        stack.close();

        assertThat(next.get()).isEqualTo(-1);
        assertThat(outOfOrder.get()).isZero();
        assertThat(stack.size()).isZero();
    }

    @Test
    void unwindsAMillionFailingEntriesKeepingEveryFailure() {
        int count = 1_000_000;
        ExitStack stack = new ExitStack();
        RuntimeException[] failures = new RuntimeException[count];
        for (int i = 0; i < count; i++) {
            RuntimeException failure = new RuntimeException("f" + i, null, true, false) {
            };
            failures[i] = failure;
            stack.callback(() -> {
                throw failure;
            });
        }

        Throwable propagated = catchThrowable(stack::close);

        assertThat(propagated).isSameAs(failures[count - 1]);
        Throwable[] suppressed = propagated.getSuppressed();
        assertThat(suppressed).hasSize(count - 1);
        assertThat(suppressed[0]).isSameAs(failures[count - 2]);
        assertThat(suppressed[count - 2]).isSameAs(failures[0]);
    }

    @Test
    void runsOnFailureButNotOnSuccessWhenAFailureIsInFlight() throws Exception {
        ExitStack stack = new ExitStack();
        stack.onFailure(this.log.action("compensate"));
        stack.onSuccess(this.log.action("commit"));
        stack.callback(this.log.action("always"));

        assertThat(stack.exit(new IllegalStateException("body"))).isFalse();

        assertThat(this.log.events()).containsExactly("run always", "run compensate");
    }

    @Test
    void runsOnSuccessButNotOnFailureOnACleanUnwind() {
        ExitStack stack = new ExitStack();
        stack.onFailure(this.log.action("compensate"));
        stack.onSuccess(this.log.action("commit"));

        stack.close();

        assertThat(this.log.events()).containsExactly("run commit");
    }

    @Test
    void letsOnFailureAndOnSuccessSeeTheFailureInFlightAtTheirTurnNotTheBodyOutcome() throws Exception {
        ExitStack stack = new ExitStack();
        stack.onFailure(this.log.action("compensate"));
        stack.onSuccess(this.log.action("commit"));
        stack.push(this.log.exit("swallower", true));

        assertThat(stack.exit(new IllegalStateException("body"))).isTrue();

        assertThat(this.log.events()).containsExactly("exit swallower(body)", "run commit");
    }

    @Test
    void runsOnFailureWhenAnInnerCloseFailsOnAnOtherwiseCleanUnwind() {
        ExitStack stack = new ExitStack();
        stack.onSuccess(this.log.action("commit"));
        stack.onFailure(this.log.action("compensate"));
        stack.register(this.log.failingResource("r", new IllegalStateException("close failure")));

        assertThat(catchThrowable(stack::close)).hasMessage("close failure");
        assertThat(this.log.events()).containsExactly("close r", "run compensate");
    }

    @Test
    void attachesAFailingCompensationToTheFailureItCompensates() throws Exception {
        ExitStack stack = new ExitStack();
        IOException compensationFailure = new IOException("compensation");
        stack.onFailure(this.log.failingAction("compensate", compensationFailure));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(stack.exit(body)).isFalse();

        assertThat(body.getSuppressed()).containsExactly(compensationFailure);
    }

}
