package io.github.managedscopes.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.FaultPlan.Opener;
import io.github.managedscopes.reliability.FaultPlan.Resource;
import io.github.managedscopes.reliability.FaultPlan.Special;
import io.github.managedscopes.reliability.Faults.Type;
import org.jspecify.annotations.Nullable;

/**
 * What must happen to a planned request, worked out from the plan alone by the rules of
 * nested try-with-resources (docs/unwinding.md): which resources open, in which order they
 * close, what each context manager's exit is handed, which failure propagates and who handles
 * it, and the fate of every other injected exception. {@link #check} compares it with what
 * the server observed.
 */
final class Expectation {

    /** Where an injected exception ends up. */
    enum Fate {

        /** The primary failure, handled by the {@code @ControllerAdvice}. */
        PROPAGATED_TO_ADVICE,

        /** The primary failure of a synchronous unwind, thrown out of the request filter. */
        PROPAGATED_TO_FILTER,

        /** The primary failure of an asynchronous unwind after the response, logged at ERROR. */
        PROPAGATED_TO_LOG,

        /** Added to the primary failure with addSuppressed, counted as close-during-failure. */
        ATTACHED,

        /** Swallowed by {@code @ManagedResource(suppress)}, counted as swallowed. */
        SWALLOWED,

        /** Thrown by a transaction hook, counted as hook-failed. */
        HOOK_FAILED

    }

    final FaultPlan plan;

    final List<Integer> opened = new ArrayList<>();

    final Map<String, Fate> fates = new LinkedHashMap<>();

    final Map<Integer, String> contextSaw = new HashMap<>();

    /** What the outermost exit sees: an injected site, {@code timeout}, {@code io} or {@code nothing}. */
    final String primary;

    int rollbackHookRuns;

    /** Whether an InterruptedException was caught and did not propagate as itself, so the flag must be set again. */
    boolean interruptRestored;

    int commitHookRuns;

    private Expectation(FaultPlan plan) {
        this.plan = plan;
        List<Resource> resources = plan.resources();
        String failure = null;
        boolean asyncStarted = false;
        for (int i = 0; i < resources.size() && failure == null; i++) {
            if (!resources.get(i).async()) {
                failure = open(i, resources.get(i));
            }
        }
        if (failure == null && plan.tx() != null) {
            if (plan.tx().rollback()) {
                failure = "rollback";
                this.rollbackHookRuns = 1;
                hook(plan.tx().rollbackHookFault(), "hook-rollback");
            }
            else {
                this.commitHookRuns = 1;
                hook(plan.tx().commitHookFault(), "hook-commit");
            }
        }
        if (failure == null) {
            asyncStarted = plan.isAsync();
            if (plan.special() == Special.TIMEOUT) {
                failure = "timeout";
            }
            else if (plan.special() == Special.DISCONNECT) {
                failure = "io";
            }
            for (int i = 0; i < resources.size() && failure == null; i++) {
                if (resources.get(i).async()) {
                    failure = open(i, resources.get(i));
                }
            }
            if (failure == null && plan.body() != null) {
                failure = "body";
            }
        }
        boolean handlerFailed = failure != null;
        String pending = failure;
        if (plan.special() != Special.ABANDON) {
            for (int k = this.opened.size() - 1; k >= 0; k--) {
                int index = this.opened.get(k);
                Resource resource = resources.get(index);
                if (resource.opener() == Opener.CONTEXT) {
                    this.contextSaw.put(index, (pending != null) ? pending : "nothing");
                }
                if (resource.closeFault() == null) {
                    continue;
                }
                String site = "close#" + index;
                this.interruptRestored |= resource.closeFault() == Type.INTERRUPTED;
                if (resource.closeFault() == Type.SWALLOWED) {
                    this.fates.put(site, Fate.SWALLOWED);
                }
                else if (pending == null) {
                    pending = site;
                }
                else {
                    this.fates.put(site, Fate.ATTACHED);
                }
            }
        }
        this.primary = (pending != null) ? pending : "nothing";
        if (pending != null && !pending.equals("timeout") && !pending.equals("io")) {
            this.fates.put(pending, handlerFailed ? Fate.PROPAGATED_TO_ADVICE
                    : asyncStarted ? Fate.PROPAGATED_TO_LOG : Fate.PROPAGATED_TO_FILTER);
        }
    }

    static Expectation of(FaultPlan plan) {
        return new Expectation(plan);
    }

    private @Nullable String open(int index, Resource resource) {
        if (resource.enterFault() != null) {
            return "enter#" + index;
        }
        this.opened.add(index);
        return null;
    }

    private void hook(@Nullable Type fault, String site) {
        if (fault != null) {
            this.fates.put(site, Fate.HOOK_FAILED);
        }
    }

    /** The number of resources that stay open because their scope is abandoned. */
    int abandoned() {
        return (this.plan.special() == Special.ABANDON) ? this.opened.size() : 0;
    }

    /**
     * Compares what the server observed with this expectation.
     * @return the differences, empty if none
     */
    List<String> check(RequestRecord record) {
        List<String> problems = new ArrayList<>(record.problems);
        checkResources(record, problems);
        boolean abandoned = this.plan.special() == Special.ABANDON;
        expect(problems, "exit observer runs", abandoned ? 0 : 1, record.exitRuns.get());
        expect(problems, "scope closes", abandoned ? 0 : 1, record.scopesClosed.get());
        if (!abandoned) {
            expect(problems, "failure the outermost exit saw", this.primary, Faults.describe(record.exitSaw));
        }
        expect(problems, "rollback hook runs", this.rollbackHookRuns, record.rollbackHookRuns.get());
        expect(problems, "commit hook runs", this.commitHookRuns, record.commitHookRuns.get());
        expect(problems, "injected sites", this.fates.keySet().stream().sorted().toList(),
                record.thrown.keySet().stream().sorted().toList());
        expect(problems, "interrupt flag set after the unwind", this.interruptRestored, record.interruptedAfterwards);
        checkFates(record, problems);
        checkHandlers(record, problems);
        if (this.plan.special() == Special.LATE) {
            IllegalStateException refusal = record.lateRefusal;
            if (refusal == null || !refusal.getMessage().contains("the request scope")
                    || !refusal.getMessage().contains("closed at once")) {
                problems.add("late registration: expected a refusal naming the request scope, got " + refusal);
            }
            expect(problems, "late resource closes", 1, record.lateCloses.get());
        }
        return problems;
    }

    private void checkResources(RequestRecord record, List<String> problems) {
        int count = this.plan.resources().size();
        Integer[] byOpening = new Integer[0];
        List<Integer> actuallyOpened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (record.openedAt.get(i) > 0) {
                actuallyOpened.add(i);
            }
            int expectedCloses = (this.opened.contains(i) && this.plan.special() != Special.ABANDON) ? 1 : 0;
            expect(problems, "closes of resource " + i, expectedCloses, record.closes.get(i));
        }
        actuallyOpened.sort((a, b) -> Integer.compare(record.openedAt.get(a), record.openedAt.get(b)));
        expect(problems, "resources opened, in order", this.opened, actuallyOpened);
        if (this.plan.special() != Special.ABANDON) {
            byOpening = actuallyOpened.toArray(byOpening);
            List<Integer> closing = new ArrayList<>(Arrays.asList(byOpening));
            closing.sort((a, b) -> Integer.compare(record.closedAt.get(b), record.closedAt.get(a)));
            expect(problems, "closing order reversed (LIFO)", actuallyOpened, closing);
            for (int index : actuallyOpened) {
                if (record.closedAt.get(index) < record.openedAt.get(index)) {
                    problems.add("resource " + index + " closed before it was opened");
                }
            }
        }
        expect(problems, "what context exits were handed", this.contextSaw, record.contextSaw);
    }

    private void checkFates(RequestRecord record, List<String> problems) {
        Throwable primaryFailure = record.exitSaw;
        List<Throwable> attached = (primaryFailure != null) ? Arrays.asList(primaryFailure.getSuppressed())
                : List.of();
        Map<Throwable, List<SuppressionReason>> reported = new HashMap<>();
        for (RequestRecord.Suppression suppression : record.suppressed) {
            reported.computeIfAbsent(suppression.exception(), (key) -> new ArrayList<>()).add(suppression.reason());
            if (!record.thrown.containsValue(suppression.exception())) {
                problems.add("listener reported an exception that was not injected: " + suppression);
            }
        }
        this.fates.forEach((site, fate) -> {
            Throwable exception = record.thrown.get(site);
            if (exception == null) {
                return;
            }
            List<SuppressionReason> reasons = reported.getOrDefault(exception, List.of());
            List<SuppressionReason> expectedReasons = switch (fate) {
                case ATTACHED -> List.of(SuppressionReason.CLOSE_DURING_FAILURE);
                case SWALLOWED -> List.of(SuppressionReason.SWALLOWED);
                case HOOK_FAILED -> List.of(SuppressionReason.HOOK_FAILED);
                default -> List.of();
            };
            expect(problems, "listener reports of " + site, expectedReasons, reasons);
            boolean isAttached = attached.stream().anyMatch((candidate) -> candidate == exception);
            expect(problems, site + " attached to the primary failure", fate == Fate.ATTACHED, isAttached);
            if (fate.name().startsWith("PROPAGATED") && !Faults.inCauseChain(primaryFailure, exception)) {
                problems.add(site + " should be the primary failure, the exit saw " + primaryFailure);
            }
        });
    }

    private void checkHandlers(RequestRecord record, List<String> problems) {
        Fate primaryFate = this.fates.get(this.primary);
        boolean adviceExpected = primaryFate == Fate.PROPAGATED_TO_ADVICE || this.primary.equals("timeout");
        String advice = Faults.describe(record.adviceSaw);
        if (adviceExpected) {
            expect(problems, "what the error handler saw", this.primary, advice);
        }
        else if (!this.primary.equals("io")) {
            expect(problems, "what the error handler saw", "nothing", advice);
        }
        expect(problems, "what escaped the request filter",
                (primaryFate == Fate.PROPAGATED_TO_FILTER) ? this.primary : "nothing", Faults.describe(record.filterSaw));
        expect(problems, "what was logged at ERROR after the response",
                (primaryFate == Fate.PROPAGATED_TO_LOG) ? this.primary : "nothing", Faults.describe(record.logged));
        if (primaryFate == Fate.PROPAGATED_TO_ADVICE && record.adviceSaw != null
                && !Faults.inCauseChain(record.adviceSaw, record.thrown.get(this.primary))) {
            problems.add("the error handler saw another instance of " + this.primary);
        }
    }

    private static void expect(List<String> problems, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            problems.add(what + ": expected " + expected + " but was " + actual);
        }
    }

}
