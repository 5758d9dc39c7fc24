package io.github.managedscopes;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.github.managedscopes.AsyncUnwindScenario.Delivery;
import io.github.managedscopes.UnwindScenario.Entry;
import io.github.managedscopes.UnwindScenario.Fault;
import io.github.managedscopes.UnwindScenario.Observation;
import io.github.managedscopes.UnwindScenario.Run;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules A1 to A9 of {@code docs/async.md}: the outcome of any program on an {@link AsyncExitStack}
 * is exactly the outcome of the same program on an {@link ExitStack} whose asynchronous
 * entries were synchronous ones. Seeded random programs of synchronous and asynchronous
 * entries (stages complete at once, completed later on another thread, failing, thrown,
 * wrapped, minimal; swallowing exits; nested {@code ExitStack}s and {@code AsyncExitStack}s)
 * must give the same events in the same order, the same ending, the same propagated failure
 * with the same suppressed exceptions (by identity, in order), and the same reports to the
 * listener.
 */
class AsyncExitStackPropertyTest {

    private static final int CASES_PER_SEED = 250;

    private static final Stages STAGES = new Stages();

    @AfterAll
    static void stopCompleter() {
        STAGES.close();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 16);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void unwindsExactlyLikeTheSameProgramOnASyncExitStack(long seed) throws Exception {
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            checkCase(seeds.nextLong());
        }
    }

    @Test
    void generatesEveryDeliveryOfEveryKindOfEntry() {
        Set<Delivery> deliveries = EnumSet.noneOf(Delivery.class);
        Set<String> asyncKinds = new HashSet<>();
        SplittableRandom seeds = new SplittableRandom(1);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            AsyncUnwindScenario program = AsyncUnwindScenario.generate(seeds.nextLong());
            deliveries.addAll(program.deliveries().values());
            for (Entry entry : UnwindScenario.flatten(program.scenario().entries())) {
                if (program.deliveryOf(entry) != Delivery.SYNC) {
                    asyncKinds.add(entry.kind() + (entry.fault() != Fault.NONE ? " failing" : ""));
                }
            }
        }
        assertThat(deliveries).containsExactlyInAnyOrder(Delivery.values());
        assertThat(asyncKinds).contains("RESOURCE", "RESOURCE failing", "PUSHED_EXIT", "PUSHED_EXIT failing",
                "CONTEXT_EXIT", "CONTEXT_EXIT failing", "CALLBACK", "CALLBACK failing");
    }

    /** Runs one case; on a mismatch the message names the seed that reproduces it. */
    static void checkCase(long caseSeed) throws Exception {
        AsyncUnwindScenario program = AsyncUnwindScenario.generate(caseSeed);
        UnwindScenario scenario = program.scenario();
        String reproduce = "case seed " + caseSeed + "L (replay with AsyncExitStackPropertyTest.checkCase), " + program;
        RecordingListener syncListener = new RecordingListener();
        Observation expected = ExitStackPropertyTest.onStack(scenario,
                scenario.withListener() ? new ExitStack(syncListener) : new ExitStack(), new Run(), syncListener);
        Run run = new Run();
        RecordingListener listener = new RecordingListener();
        AsyncExitStack stack = scenario.withListener() ? new AsyncExitStack(listener) : new AsyncExitStack();
        Observation actual = onAsyncStack(program, stack, run, listener, STAGES);

        assertThat(actual.events()).as("events, " + reproduce).isEqualTo(expected.events());
        assertThat(actual.ending()).as("ending, " + reproduce).isEqualTo(expected.ending());
        assertThat(actual.propagated()).as("propagated failure, " + reproduce).isEqualTo(expected.propagated());
        assertThat(stack.size()).as("entries left, " + reproduce).isZero();
        if (scenario.withListener()) {
            assertThat(reports(listener)).as("listener reports, " + reproduce).isEqualTo(reports(syncListener));
            ExitStackPropertyTest.assertNothingLost(run, listener, reproduce);
        }
    }

    /** Unwinds the program with {@code exitAsync} or {@code closeAsync}, as the sync run uses exit or close. */
    static Observation onAsyncStack(AsyncUnwindScenario program, AsyncExitStack stack, Run run,
            RecordingListener listener, Stages stages) throws Exception {
        UnwindScenario scenario = program.scenario();
        register(program, stack, scenario.entries(), run, scenario.withListener() ? listener : null, stages);
        Throwable body = (scenario.body() != Fault.NONE) ? run.create(scenario.body(), "body") : null;
        String ending;
        Stages.Outcome outcome;
        if (body != null) {
            outcome = Stages.outcome(stack.exitAsync(body));
            ending = (outcome.failure() != null) ? "threw" : Boolean.TRUE.equals(outcome.value()) ? "swallowed"
                    : "rethrow";
            run.propagated = (outcome.failure() != null) ? outcome.failure() : "swallowed".equals(ending) ? null : body;
        }
        else if (scenario.viaClose()) {
            outcome = Stages.outcome(stack.closeAsync());
            Throwable failure = outcome.failure();
            boolean unchecked = failure instanceof RuntimeException || failure instanceof Error;
            ending = (failure == null) ? "clean" : unchecked ? "threw" : "threw wrapped";
            run.propagated = failure;
        }
        else {
            outcome = Stages.outcome(stack.exitAsync(null));
            ending = (outcome.failure() != null) ? "threw"
                    : Boolean.TRUE.equals(outcome.value()) ? "exit(null) returned true" : "clean";
            run.propagated = outcome.failure();
        }
        return new Observation(List.copyOf(run.events), ending, run.describe(run.propagated, 0));
    }

    private static void register(AsyncUnwindScenario program, AsyncExitStack stack, List<Entry> entries, Run run,
            @Nullable RecordingListener listener, Stages stages) throws Exception {
        for (Entry entry : entries) {
            Delivery delivery = program.deliveryOf(entry);
            if (delivery == Delivery.SYNC) {
                registerSync(program, stack, entry, run, listener);
                continue;
            }
            switch (entry.kind()) {
                case RESOURCE -> stack.registerAsync(() -> delivery.deliver(run, stages, () -> run.perform(entry, null)));
                case PUSHED_EXIT -> stack.pushAsync(
                        (failure) -> delivery.deliver(run, stages, () -> run.perform(entry, failure)));
                case CONTEXT_EXIT -> stack.enterAsyncContext(new Manager(delivery, run, entry, stages))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
                case CALLBACK -> stack.callbackAsync(() -> delivery.deliver(run, stages, () -> run.perform(entry, null)));
                case NESTED_STACK -> {
                    AsyncExitStack nested = (listener != null) ? new AsyncExitStack(listener) : new AsyncExitStack();
                    register(program, nested, entry.children(), run, listener, stages);
                    assertThat(stack.enterAsyncContext(nested).toCompletableFuture().getNow(null)).isSameAs(nested);
                }
                default -> throw new IllegalArgumentException(entry + " has no asynchronous counterpart");
            }
        }
    }

    private static void registerSync(AsyncUnwindScenario program, AsyncExitStack stack, Entry entry, Run run,
            @Nullable RecordingListener listener) throws Exception {
        switch (entry.kind()) {
            case RESOURCE -> stack.register(() -> run.perform(entry, null));
            case PUSHED_EXIT -> stack.push((failure) -> run.perform(entry, failure));
            case CONTEXT_EXIT -> stack.enterContext(
                    ContextManagers.of(entry::label, (value, failure) -> run.perform(entry, failure)));
            case CALLBACK -> stack.callback(() -> run.perform(entry, null));
            case ON_FAILURE -> stack.onFailure(() -> run.perform(entry, null));
            case ON_SUCCESS -> stack.onSuccess(() -> run.perform(entry, null));
            case NESTED_STACK -> {
                ExitStack nested = (listener != null) ? new ExitStack(listener) : new ExitStack();
                ExitStackPropertyTest.register(nested, entry.children(), run, listener);
                stack.enterContext(nested);
            }
        }
    }

    /** What the listener was told, without the names (lambdas are named after their classes). */
    private static List<String> reports(RecordingListener listener) {
        return listener.calls().stream().map((call) -> {
            String[] words = call.split(" ");
            return switch (words[0]) {
                case "closed" -> "closed" + (call.contains(" failed ") ? call.substring(call.indexOf(" failed ")) : "");
                case "suppressed" -> "suppressed " + words[words.length - 2] + " " + words[words.length - 1];
                default -> words[0];
            };
        }).toList();
    }

    /** An asynchronous context manager entered at once whose exit is the entry's body. */
    private static final class Manager implements AsyncContextManager<String> {

        private final Delivery delivery;

        private final Run run;

        private final Entry entry;

        private final Stages stages;

        Manager(Delivery delivery, Run run, Entry entry, Stages stages) {
            this.delivery = delivery;
            this.run = run;
            this.entry = entry;
            this.stages = stages;
        }

        @Override
        public CompletionStage<String> enterAsync() {
            return (this.delivery == Delivery.LATER) ? this.stages.later(this.entry.label())
                    : CompletableFuture.completedFuture(this.entry.label());
        }

        @Override
        public CompletionStage<Boolean> exitAsync(@Nullable Throwable failure) {
            return this.delivery.deliver(this.run, this.stages, () -> this.run.perform(this.entry, failure));
        }

    }

}
