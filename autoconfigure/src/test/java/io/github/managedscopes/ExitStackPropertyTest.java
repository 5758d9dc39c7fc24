package io.github.managedscopes;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import io.github.managedscopes.UnwindScenario.Entry;
import io.github.managedscopes.UnwindScenario.Fault;
import io.github.managedscopes.UnwindScenario.Kind;
import io.github.managedscopes.UnwindScenario.Observation;
import io.github.managedscopes.UnwindScenario.Run;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/unwinding.md: "a stack behaves exactly like the equivalent nested
 * try-with-resources blocks": seeded random scenarios run through an {@link ExitStack} and
 * through hand-written nested try/catch blocks (JLS 14.20.3, extended with swallowing exits
 * and the rules for {@link VirtualMachineError}), which must agree on the order of events,
 * the failure each exit saw, how the unwind ended, and the propagated exception with its
 * suppressed ones (by identity, in order). Entered {@code ExitStack}s must behave as if
 * their entries were spliced in.
 */
class ExitStackPropertyTest {

    private static final int CASES_PER_SEED = 250;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 16);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void unwindsLikeHandWrittenNestedTryBlocks(long seed) throws Exception {
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            long caseSeed = seeds.nextLong();
            checkCase(caseSeed);
        }
    }

    @Test
    void generatesEveryKindOfEntryFaultAndEnding() throws Exception {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        Set<String> endings = new HashSet<>();
        SplittableRandom seeds = new SplittableRandom(1);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            UnwindScenario scenario = UnwindScenario.generate(seeds.nextLong());
            collect(scenario.entries(), kinds, faults);
            faults.add(scenario.body());
            endings.add(byHand(scenario, new Run()).ending());
        }
        assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
        assertThat(faults).containsExactlyInAnyOrder(Fault.values());
        assertThat(endings).contains("swallowed", "rethrow", "threw", "threw wrapped", "clean");
    }

    /** Runs one case; on a mismatch the message names the seed that reproduces it. */
    static void checkCase(long caseSeed) throws Exception {
        UnwindScenario scenario = UnwindScenario.generate(caseSeed);
        String reproduce = "case seed " + caseSeed + "L (replay with ExitStackPropertyTest.checkCase), scenario "
                + scenario;
        Observation expected = byHand(scenario, new Run());
        Run run = new Run();
        RecordingListener listener = new RecordingListener();
        ExitStack stack = scenario.withListener() ? new ExitStack(listener) : new ExitStack();
        Observation actual = onStack(scenario, stack, run, listener);

        assertThat(actual.events()).as("events, " + reproduce).isEqualTo(expected.events());
        assertThat(actual.ending()).as("ending, " + reproduce).isEqualTo(expected.ending());
        assertThat(actual.propagated()).as("propagated failure, " + reproduce).isEqualTo(expected.propagated());
        assertThat(stack.size()).as("entries left, " + reproduce).isZero();
        if (scenario.withListener()) {
            assertNothingLost(run, listener, reproduce);
        }
    }

    private static Observation onStack(UnwindScenario scenario, ExitStack stack, Run run, RecordingListener listener)
            throws Exception {
        register(stack, scenario.entries(), run, scenario.withListener() ? listener : null);
        Throwable body = (scenario.body() != Fault.NONE) ? run.create(scenario.body(), "body") : null;
        String ending;
        Throwable propagated = null;
        try {
            if (body != null) {
                boolean swallowed = stack.exit(body);
                ending = swallowed ? "swallowed" : "rethrow";
                propagated = swallowed ? null : body;
            }
            else if (scenario.viaClose()) {
                stack.close();
                ending = "clean";
            }
            else {
                ending = stack.exit(null) ? "exit(null) returned true" : "clean";
            }
        }
        catch (UnwindException wrapped) {
            ending = (scenario.viaClose() && body == null) ? "threw wrapped" : "threw UnwindException";
            propagated = wrapped.getCause();
        }
        catch (Throwable thrown) {
            ending = "threw";
            propagated = thrown;
        }
        run.propagated = propagated;
        return new Observation(List.copyOf(run.events), ending, run.describe(propagated, 0));
    }

    private static void register(ExitStack stack, List<Entry> entries, Run run, @Nullable RecordingListener listener)
            throws Exception {
        for (Entry entry : entries) {
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
                    register(nested, entry.children(), run, listener);
                    stack.enterContext(nested);
                }
            }
        }
    }

    /**
     * The oracle: the same scenario as real nested try/catch blocks, the first entry the
     * outermost, built by recursion over the flattened entries.
     */
    private static Observation byHand(UnwindScenario scenario, Run run) {
        List<Entry> flat = UnwindScenario.flatten(scenario.entries());
        Throwable body = (scenario.body() != Fault.NONE) ? run.create(scenario.body(), "body") : null;
        Throwable propagated = null;
        try {
            block(flat, 0, run, body);
        }
        catch (Throwable thrown) {
            propagated = thrown;
        }
        String ending;
        if (body != null) {
            ending = (propagated == null) ? "swallowed" : (propagated == body) ? "rethrow" : "threw";
        }
        else if (propagated == null) {
            ending = "clean";
        }
        else {
            boolean unchecked = propagated instanceof RuntimeException || propagated instanceof Error;
            ending = (scenario.viaClose() && !unchecked) ? "threw wrapped" : "threw";
        }
        return new Observation(List.copyOf(run.events), ending, run.describe(propagated, 0));
    }

    private static void block(List<Entry> entries, int index, Run run, @Nullable Throwable body) throws Throwable {
        if (index == entries.size()) {
            if (body != null) {
                throw body;
            }
            return;
        }
        Entry entry = entries.get(index);
        try {
            block(entries, index + 1, run, body);
        }
        catch (Throwable primary) {
            boolean swallowed;
            try {
                swallowed = run.exit(entry, primary);
            }
            catch (Throwable secondary) {
                if (secondary == primary) {
                    throw primary;
                }
                if (secondary instanceof VirtualMachineError && !(primary instanceof VirtualMachineError)) {
                    secondary.addSuppressed(primary);
                    throw secondary;
                }
                primary.addSuppressed(secondary);
                throw primary;
            }
            if (swallowed && !(primary instanceof VirtualMachineError)) {
                return;
            }
            throw primary;
        }
        run.exit(entry, null);
    }

    /** Rule 3: every exception thrown is reachable from what propagated, or was reported to the listener. */
    private static void assertNothingLost(Run run, RecordingListener listener, String reproduce) {
        Set<Throwable> accounted = Collections.newSetFromMap(new IdentityHashMap<>());
        accounted.addAll(listener.suppressed());
        accounted.addAll(Reachability.from(run.propagated));
        assertThat(run.created.keySet()).as("every exception propagated or reported, " + reproduce)
            .allSatisfy((failure) -> assertThat(accounted.contains(failure)).as(run.label(failure)).isTrue());
    }

    private static void collect(List<Entry> entries, Set<Kind> kinds, Set<Fault> faults) {
        for (Entry entry : entries) {
            kinds.add(entry.kind());
            faults.add(entry.fault());
            collect(entry.children(), kinds, faults);
        }
    }

}
