package io.github.managedscopes.reliability.reactive;

import io.github.managedscopes.reliability.Figures;
import io.github.managedscopes.reliability.Hangup;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Resource;

/**
 * Counts a checked exchange into the figures of a run: requests by kind, faults injected by
 * site and kind, resources opened and closed, exceptions by fate, how scopes ended, and the
 * hang-ups.
 */
final class ReactiveFigures {

    private ReactiveFigures() {
    }

    static void count(Figures figures, ReactiveExpectation expectation, ReactiveRecord record) {
        ReactivePlan plan = expectation.plan;
        figures.add("requests", 1);
        figures.add("requests by kind: " + plan.kind(), 1);
        for (String site : record.thrown.keySet()) {
            String kind = site;
            if (site.startsWith("close#") || site.startsWith("enter#")) {
                Resource resource = plan.resources().get(Integer.parseInt(site.substring(6)));
                kind = site.startsWith("close#") ? "close " + resource.opener() + " " + resource.closeFault()
                        : "enter " + resource.opener() + (resource.inPipeline() ? " in the pipeline" : " in the handler");
            }
            else {
                kind = "pipeline (" + plan.kind() + ((plan.elements() > 0) ? " mid-stream)" : ")");
            }
            figures.add("faults injected: " + kind, 1);
            figures.add("faults injected", 1);
        }
        for (int i = 0; i < plan.resources().size(); i++) {
            figures.add("resources opened", (record.openedAt.get(i) > 0) ? 1 : 0);
            figures.add("resources closed", record.closes.get(i));
        }
        expectation.fates.forEach((site, fate) -> figures.add("exceptions by fate: " + fate, 1));
        figures.add("scopes ended by: " + record.endedBy, 1);
        if (plan.disconnect()) {
            Hangup hangup = Hangup.of(plan.id());
            figures.add("hang-ups: " + plan.kind() + (hangup.reset() ? " reset" : " FIN"), 1);
            figures.add("hang-ups: right after the request", (hangup.bytesBeforeHangUp() == 0) ? 1 : 0);
            figures.add("hang-ups: elements produced after a close had started", record.producedAfterClose.get());
            figures.max("hang-ups: ms from hang-up to scope end (max)",
                    Math.max(0, record.scopeEndedAt - record.hungUpAt) / 1_000_000);
        }
    }

}
