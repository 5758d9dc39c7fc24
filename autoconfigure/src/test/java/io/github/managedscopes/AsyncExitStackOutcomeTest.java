package io.github.managedscopes;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.github.managedscopes.AsyncUnwindScenario.Delivery;
import io.github.managedscopes.UnwindScenario.Entry;
import io.github.managedscopes.UnwindScenario.Fault;
import io.github.managedscopes.UnwindScenario.Kind;
import io.github.managedscopes.UnwindScenario.Observation;
import io.github.managedscopes.UnwindScenario.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule A3 of {@code docs/async.md}: {@code exitAsync} completes with
 * {@code true}/{@code false} exactly where {@link ExitStack#exit} returns them and
 * exceptionally where it throws; {@code closeAsync} completes exceptionally with the failure
 * itself, never an {@link UnwindException}; both complete only after every entry has run.
 */
class AsyncExitStackOutcomeTest {

    @RegisterExtension
    final Stages stages = new Stages();

    static Stream<Arguments> programs() {
        return Stream.of(
                program("nothing fails, exit(null)", Fault.NONE, false, "clean", resource("e0", Fault.NONE)),
                program("nothing fails, close", Fault.NONE, true, "clean", resource("e0", Fault.NONE)),
                program("the failure passes through", Fault.RUNTIME, false, "rethrow", resource("e0", Fault.NONE)),
                program("an exit swallows it", Fault.CHECKED, false, "swallowed", exit("e0", Fault.NONE, true)),
                program("a close fails under it", Fault.RUNTIME, false, "rethrow", resource("e0", Fault.CHECKED),
                        exit("e1", Fault.NONE, false)),
                program("swallowed, then a close fails", Fault.RUNTIME, false, "threw", resource("e0", Fault.CHECKED),
                        exit("e1", Fault.NONE, true)),
                program("a close fails with nothing in flight", Fault.NONE, false, "threw",
                        resource("e0", Fault.CHECKED)),
                program("a checked failure from close", Fault.NONE, true, "threw wrapped",
                        resource("e0", Fault.CHECKED)),
                program("a virtual machine error wins", Fault.RUNTIME, false, "threw", resource("e0", Fault.FATAL),
                        exit("e1", Fault.NONE, true)),
                program("an exit rethrows the failure handed in", Fault.RUNTIME, false, "rethrow",
                        exit("e0", Fault.RETHROW, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void completesExactlyWhereExitStackReturnsAndThrows(String name, UnwindScenario scenario, String ending)
            throws Exception {
        for (Delivery delivery : List.of(Delivery.NOW, Delivery.LATER, Delivery.THROWN)) {
            Map<String, Delivery> deliveries = new HashMap<>();
            scenario.entries().forEach((entry) -> deliveries.put(entry.label(), delivery));
            AsyncUnwindScenario program = new AsyncUnwindScenario(scenario, deliveries);
            RecordingListener listener = new RecordingListener();

            Observation sync = ExitStackPropertyTest.onStack(scenario, new ExitStack(), new Run(), listener);
            Observation async = AsyncExitStackPropertyTest.onAsyncStack(program, new AsyncExitStack(), new Run(),
                    listener, this.stages);

            assertThat(sync.ending()).as("the sync stack's ending").isEqualTo(ending);
            assertThat(async).as(delivery.name()).isEqualTo(sync);
        }
    }

    @Test
    void closeAsyncCompletesExceptionallyWithACheckedFailureItself() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IOException failed = new IOException("failed");
        stack.registerAsync(() -> this.stages.failingLater(failed));

        Throwable failure = Stages.outcome(stack.closeAsync()).failure();

        assertThat(failure).isSameAs(failed);
    }

    @Test
    void exitAsyncNeverCompletesWithTheFailureHandedIn() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IllegalStateException body = new IllegalStateException("body");
        stack.pushAsync((failure) -> CompletableFuture.failedFuture(failure));

        Stages.Outcome outcome = Stages.outcome(stack.exitAsync(body));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.value()).isEqualTo(false);
        assertThat(body.getSuppressed()).isEmpty();
    }

    @Test
    void completesOnlyAfterEveryEntryHasRun() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        EventLog log = new EventLog();
        stack.callback(log.action("outer"));
        CompletableFuture<Void> inner = new CompletableFuture<>();
        stack.registerAsync(() -> inner);

        CompletableFuture<Boolean> exited = stack.exitAsync(null).toCompletableFuture();

        assertThat(exited).isNotDone();
        assertThat(log.events()).isEmpty();
        this.stages.onCompleter(() -> inner.complete(null));
        assertThat(Stages.outcome(exited).value()).isEqualTo(false);
        assertThat(log.events()).containsExactly("run outer");
    }

    private static Arguments program(String name, Fault body, boolean viaClose, String ending, Entry... entries) {
        return Arguments.of(name, new UnwindScenario(List.of(entries), body, viaClose, false), ending);
    }

    private static Entry resource(String label, Fault fault) {
        return new Entry(label, Kind.RESOURCE, fault, false, List.of());
    }

    private static Entry exit(String label, Fault fault, boolean swallows) {
        return new Entry(label, Kind.PUSHED_EXIT, fault, swallows, List.of());
    }

}
