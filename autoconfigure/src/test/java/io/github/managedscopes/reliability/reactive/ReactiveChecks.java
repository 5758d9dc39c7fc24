package io.github.managedscopes.reliability.reactive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.reliability.reactive.ReactiveExpectation.Fate;

/**
 * Compares what the server and the client observed of one exchange with its
 * {@link ReactiveExpectation}: every opened resource closed exactly once, last-in first-out,
 * each close started only once the one before it had completed; what each exit was handed;
 * the failure in flight; and the fate of every injected exception (propagated to the error
 * handler and the client, attached and counted, swallowed and counted, or logged once).
 */
final class ReactiveChecks {

    private final ReactiveExpectation expected;

    private final ReactiveRecord record;

    private final List<String> problems;

    private ReactiveChecks(ReactiveExpectation expected, ReactiveRecord record) {
        this.expected = expected;
        this.record = record;
        this.problems = new ArrayList<>(record.problems);
    }

    /**
     * Checks an exchange whose scope has ended.
     * @param response what the client received ({@link ReactiveExpectation#response()})
     * @return the differences, empty if none
     */
    static List<String> check(ReactiveExpectation expected, ReactiveRecord record, String response) {
        ReactiveChecks checks = new ReactiveChecks(expected, record);
        checks.resources();
        checks.fates();
        checks.expect("exit runs", 1, record.exitRuns.get());
        checks.expect("scope ends", 1, record.scopesEnded.get());
        checks.expect("failure the outermost exit saw", expected.primary, ReactiveExpectation.describe(record.exitSaw));
        checks.expect("what the client received", expected.response(), response);
        String handlerSaw = ReactiveExpectation.describe(record.handlerSaw);
        if (expected.plan.disconnect() && handlerSaw.equals(ReactiveExpectation.DISCONNECT)) {
            // The failed write that revealed the hang-up may reach the error handlers too.
            handlerSaw = "nothing";
        }
        checks.expect("what the error handler saw", handlerExpected(expected), handlerSaw);
        checks.expect("what the scope logged at ERROR", (expected.primaryFate() == Fate.LOGGED) ? expected.primary
                : "nothing", Faults.describe(record.logged));
        checks.expect("what the scope logged at WARN", expected.warned(), record.warned.stream().sorted().toList());
        if (expected.plan.disconnect() && record.exitSaw instanceof java.util.concurrent.CancellationException gone
                && !String.valueOf(gone.getMessage()).contains("GET " + expected.plan.kind().path())) {
            checks.problems.add("the cancellation does not name the request: " + gone.getMessage());
        }
        return checks.problems;
    }

    private static String handlerExpected(ReactiveExpectation expected) {
        return (expected.primaryFate() == Fate.PROPAGATED) ? expected.primary : "nothing";
    }

    private void resources() {
        int count = this.expected.plan.resources().size();
        List<Integer> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (this.record.openedAt.get(i) > 0) {
                opened.add(i);
            }
            expect("closes of resource " + i, this.expected.opened.contains(i) ? 1 : 0, this.record.closes.get(i));
        }
        opened.sort((a, b) -> Integer.compare(this.record.openedAt.get(a), this.record.openedAt.get(b)));
        expect("resources opened, in order", this.expected.opened, opened);
        List<Integer> closing = new ArrayList<>(opened);
        closing.sort((a, b) -> Integer.compare(this.record.closeStartedAt.get(b), this.record.closeStartedAt.get(a)));
        expect("closing order reversed (LIFO)", opened, closing);
        for (int k = opened.size() - 1; k > 0; k--) {
            int inner = opened.get(k);
            int outer = opened.get(k - 1);
            if (this.record.closeStartedAt.get(outer) < this.record.closeDoneAt.get(inner)) {
                this.problems.add("resource " + outer + " started closing before the close of resource " + inner
                        + " had completed");
            }
        }
        expect("what context exits were handed", this.expected.contextSaw, this.record.contextSaw);
    }

    private void fates() {
        Throwable inFlight = this.record.exitSaw;
        Map<Throwable, List<SuppressionReason>> reported = new HashMap<>();
        for (ReactiveRecord.Suppression suppression : this.record.suppressed) {
            reported.computeIfAbsent(suppression.exception(), (key) -> new ArrayList<>()).add(suppression.reason());
            if (!this.record.thrown.containsValue(suppression.exception())) {
                this.problems.add("listener reported an exception that was not injected: " + suppression);
            }
        }
        expect("injected sites", this.expected.fates.keySet().stream().sorted().toList(),
                this.record.thrown.keySet().stream().sorted().toList());
        this.expected.fates.forEach((site, fate) -> {
            Throwable exception = this.record.thrown.get(site);
            if (exception == null) {
                return;
            }
            expect("listener reports of " + site, ReactiveExpectation.reportsOf(fate),
                    reported.getOrDefault(exception, List.of()));
            expect(site + " attached to the failure in flight", fate == Fate.ATTACHED,
                    ReactiveExpectation.attachedTo(inFlight, exception));
            if (fate == Fate.PROPAGATED || fate == Fate.LOGGED) {
                expect(site + " is the failure in flight itself", true, Faults.inCauseChain(inFlight, exception));
            }
            if (fate == Fate.PROPAGATED) {
                expect(site + " is what the error handler saw", true,
                        Faults.inCauseChain(this.record.handlerSaw, exception));
            }
            if (fate == Fate.LOGGED) {
                expect(site + " is what the scope logged", true, Faults.inCauseChain(this.record.logged, exception));
            }
        });
    }

    private void expect(String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            this.problems.add(what + ": expected " + expected + " but was " + actual);
        }
    }

}
