package io.github.managedscopes.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import io.github.managedscopes.reliability.FaultPlan.Resource;

/**
 * The figures of a run, counted from the plans and what the server observed: requests by
 * kind, faults injected by kind, resources opened and closed, exceptions by fate, leaks. Each
 * test writes its figures as a section of {@code target/reliability-report.md}.
 */
public final class Figures {

    private static final Path DIRECTORY = Path.of("target", "reliability");

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    private final Map<String, Long> maxima = new ConcurrentHashMap<>();

    public void add(String name, long amount) {
        if (amount != 0) {
            this.counts.computeIfAbsent(name, (key) -> new LongAdder()).add(amount);
        }
    }

    /** Keeps the largest {@code value} seen under {@code name}. */
    public void max(String name, long value) {
        this.maxima.merge(name, value, Math::max);
    }

    public long get(String name) {
        LongAdder count = this.counts.get(name);
        return (count != null) ? count.sum() : 0;
    }

    /** Counts a request that has been checked. */
    void count(Expectation expectation, RequestRecord record) {
        FaultPlan plan = expectation.plan;
        add("requests", 1);
        add("requests by kind: " + plan.kind(), 1);
        if (plan.special() != FaultPlan.Special.NONE) {
            add("special: " + plan.special(), 1);
        }
        for (String site : record.thrown.keySet()) {
            String kind = site.replaceAll("#\\d+", "");
            if (site.startsWith("close#")) {
                Resource resource = plan.resources().get(Integer.parseInt(site.substring(6)));
                kind = "close " + resource.closeFault();
            }
            else if (site.startsWith("enter#")) {
                kind = "enter " + plan.resources().get(Integer.parseInt(site.substring(6))).opener();
            }
            add("faults injected: " + kind, 1);
            add("faults injected", 1);
        }
        for (int i = 0; i < plan.resources().size(); i++) {
            add("resources opened", (record.openedAt.get(i) > 0) ? 1 : 0);
            add("resources closed", record.closes.get(i));
        }
        add("resources opened: late registrations (closed at once)", record.lateCloses.get());
        add("resources abandoned (scope garbage-collected unclosed)", expectation.abandoned());
        expectation.fates.forEach((site, fate) -> add("exceptions by fate: " + fate, 1));
        if (plan.tx() != null) {
            add("transactions: " + (plan.tx().rollback() ? "rolled back" : "committed"), 1);
        }
        if (record.endedBy != null) {
            add("scopes ended by: " + record.endedBy, 1);
        }
        if (plan.special() == FaultPlan.Special.DISCONNECT) {
            countHangup(plan, record);
        }
    }

    private void countHangup(FaultPlan plan, RequestRecord record) {
        Hangup hangup = Hangup.of(plan.id());
        add("hang-ups: " + plan.kind() + ((hangup.reset() ? " reset" : " FIN")), 1);
        if (hangup.bytesBeforeHangUp() == 0) {
            add("hang-ups: right after the request", 1);
        }
        if (plan.kind() == FaultPlan.Kind.SSE && hangup.firstEventBeforeReturn()) {
            add("hang-ups: SSE with an event sent before the handler returned", 1);
        }
        max("hang-ups: ms from hang-up to scope end (max)",
                Math.max(0, record.scopeEndedAt - record.hungUpAt) / 1_000_000);
    }

    /**
     * Writes the figures as a section of the report, and the report from every section.
     * @param section the section's title
     * @param notes lines written before the figures
     */
    public void write(String section, List<String> notes) {
        List<String> lines = new ArrayList<>();
        lines.add("## " + section);
        lines.add("");
        lines.addAll(notes);
        lines.add("");
        lines.add("| figure | count |");
        lines.add("|---|---:|");
        Map<String, Long> figures = new TreeMap<>(this.maxima);
        this.counts.forEach((name, count) -> figures.put(name, count.sum()));
        figures.forEach((name, value) -> lines.add("| " + name + " | " + value + " |"));
        lines.add("");
        try {
            Files.createDirectories(DIRECTORY);
            Files.write(DIRECTORY.resolve(section.replaceAll("[^A-Za-z0-9]+", "-") + ".md"), lines);
            List<String> report = new ArrayList<>(List.of("# Reliability report", "",
                    "Written by the reliability suite (`@Tag(\"reliability\")`); see RELIABILITY.md.", ""));
            try (Stream<Path> sections = Files.list(DIRECTORY)) {
                for (Path file : sections.sorted().toList()) {
                    report.addAll(Files.readAllLines(file));
                }
            }
            Files.write(Path.of("target", "reliability-report.md"), report);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
