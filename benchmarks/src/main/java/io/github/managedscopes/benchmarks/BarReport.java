package io.github.managedscopes.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Turns JMH CSV results ({@code -rf csv -rff results.csv}) into the tables of the README: the
 * ratio of each bar's two arms and whether the bar is met (the core bars, then the Spring,
 * metrics and request-filter bars), the reference arms, the bytes
 * allocated per operation when the run used {@code -prof gc}, and the cost per entry of
 * {@link UnwindGrowthBenchmark}. Ratios only: absolute times depend on the machine.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.github.managedscopes.benchmarks.BarReport
 * results.csv [gc-results.csv ...]}. When several files hold the same score, the first one
 * wins, so a run without profilers can be listed before a {@code -prof gc} run.
 */
public final class BarReport {

    private static final String PACKAGE = BarReport.class.getPackageName() + ".";

    private static final String ALLOCATION = "gc.alloc.rate.norm";

    /** Score by "Class.method[param=value,...]" then by secondary label ("" for the primary score). */
    private final Map<String, Map<String, Double>> scores = new LinkedHashMap<>();

    private BarReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("Usage: BarReport results.csv [more-results.csv ...] (JMH -rf csv output)");
            System.exit(2);
        }
        BarReport report = new BarReport();
        for (String file : args) {
            report.read(Path.of(file));
        }
        report.print(System.out);
    }

    private void read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = split(lines.get(0));
        int scoreColumn = header.indexOf("Score");
        for (String line : lines.subList(1, lines.size())) {
            List<String> row = split(line);
            String name = row.get(0).startsWith(PACKAGE) ? row.get(0).substring(PACKAGE.length()) : row.get(0);
            int colon = name.indexOf(':');
            String label = (colon < 0) ? "" : name.substring(colon + 1);
            StringBuilder key = new StringBuilder((colon < 0) ? name : name.substring(0, colon));
            for (int i = scoreColumn + 3; i < row.size() && i < header.size(); i++) {
                if (!row.get(i).isEmpty()) {
                    key.append('[').append(header.get(i).replace("Param: ", "")).append('=').append(row.get(i)).append(']');
                }
            }
            this.scores.computeIfAbsent(key.toString(), (k) -> new TreeMap<>())
                .putIfAbsent(label, Double.parseDouble(row.get(scoreColumn)));
        }
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            }
            else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private void print(PrintStream out) {
        List<String> bars = new ArrayList<>();
        bar(bars, "Register + unwind, 1 resource", "RegisterAndUnwindBenchmark.exitStack1",
                "RegisterAndUnwindBenchmark.tryWithResources1", 1.25);
        bar(bars, "Register + unwind, 8 resources", "RegisterAndUnwindBenchmark.exitStack8",
                "RegisterAndUnwindBenchmark.tryWithResources8", 1.15);
        bar(bars, "Faster than Guava's Closer, 1 resource", "RegisterAndUnwindBenchmark.exitStack1",
                "RegisterAndUnwindBenchmark.closer1", 1.0);
        bar(bars, "Faster than Guava's Closer, 8 resources", "RegisterAndUnwindBenchmark.exitStack8",
                "RegisterAndUnwindBenchmark.closer8", 1.0);
        bar(bars, "Failing closes, 1 of 3 throwing", "FailingCloseBenchmark.exitStack[failing=1]",
                "FailingCloseBenchmark.tryWithResources[failing=1]", 1.10);
        bar(bars, "Failing closes, 3 of 3 throwing", "FailingCloseBenchmark.exitStack[failing=3]",
                "FailingCloseBenchmark.tryWithResources[failing=3]", 1.10);
        for (String resources : List.of("1", "8")) {
            bar(bars, "Async, completed stages, " + resources, "AsyncCompletedStagesBenchmark.asyncExitStack"
                    + resources, "RegisterAndUnwindBenchmark.exitStack" + resources, 1.5);
            bar(bars, "Async, stages completed by another thread, " + resources, "AsyncHandOffBenchmark.asyncExitStack"
                    + resources, "AsyncHandOffBenchmark.thenComposeChain" + resources, 1.10);
        }
        table(out, "| Bar | Arm | Baseline | Ratio | Required | Met |\n|---|---|---|---|---|---|", bars);
        List<String> references = new ArrayList<>();
        for (String resources : List.of("1", "8")) {
            String baseline = "RegisterAndUnwindBenchmark.tryWithResources" + resources;
            for (String arm : List.of("closer", "naiveStack", "lockedNaiveStack")) {
                reference(references, "RegisterAndUnwindBenchmark." + arm + resources, baseline);
            }
        }
        table(out, "| Reference arm (no bar) | Baseline | Ratio |\n|---|---|---|", references);
        printSpring(out);
        table(out, "| Arm | " + ALLOCATION + " (B/op) |\n|---|---|", allocations());
        table(out, "| Entries | ns/op | ns per entry | per entry vs 1,000 entries |\n|---|---|---|---|", growth());
    }

    /** The bars of the Spring layer, metrics and the request filter, and their reference arms. */
    private void printSpring(PrintStream out) {
        List<String> bars = new ArrayList<>();
        String managed = "ManagedResourceBenchmark.";
        bar(bars, "@ManagedResource call, JDK proxy", managed + "jdkManaged", managed + "jdkNoOp", 1.10);
        bar(bars, "@ManagedResource call, CGLIB proxy", managed + "cglibManaged", managed + "cglibNoOp", 1.10);
        noSlower(bars, "Unannotated method of an advised bean, JDK proxy", managed + "jdkUnannotated",
                managed + "plainUnannotated");
        noSlower(bars, "Unannotated method of an advised bean, CGLIB proxy", managed + "cglibUnannotated",
                managed + "plainUnannotated");
        bar(bars, "Metrics on vs off, 1 resource", "MetricsBenchmark.metricsOn1", "MetricsBenchmark.metricsOff1",
                1.15);
        bar(bars, "Metrics on vs off, 8 resources", "MetricsBenchmark.metricsOn8", "MetricsBenchmark.metricsOff8",
                1.15);
        Double withStarter = score("RequestFilterBenchmark.withStarter", ALLOCATION);
        Double withoutStarter = score("RequestFilterBenchmark.withoutStarter", ALLOCATION);
        if (withStarter != null && withoutStarter != null) {
            double extra = withStarter - withoutStarter;
            bars.add(String.format(Locale.ROOT, "| Untouched request, bytes allocated | `withStarter` | `withoutStarter` "
                    + "| %+.1f B/op | 0 B/op | %s |", extra, (Math.round(extra) == 0) ? "yes" : "**no**"));
        }
        table(out, "| Spring bar | Arm | Baseline | Ratio | Required | Met |\n|---|---|---|---|---|---|", bars);
        List<String> references = new ArrayList<>();
        reference(references, managed + "jdkNoOpUnannotated", managed + "plainUnannotated");
        reference(references, managed + "cglibNoOpUnannotated", managed + "plainUnannotated");
        reference(references, managed + "jdkUnannotated", managed + "jdkNoOpUnannotated");
        reference(references, managed + "cglibUnannotated", managed + "cglibNoOpUnannotated");
        reference(references, "RequestFilterBenchmark.withStarter", "RequestFilterBenchmark.withoutStarter");
        table(out, "| Spring reference arm (no bar) | Baseline | Ratio |\n|---|---|---|", references);
    }

    private void noSlower(List<String> rows, String bar, String arm, String baseline) {
        Double ratio = ratio(arm, baseline);
        if (ratio != null) {
            rows.add(String.format(Locale.ROOT, "| %s | `%s` | `%s` | %.2fx | ≤ 1.00x | %s |", bar, simple(arm),
                    simple(baseline), ratio, (ratio <= 1.0) ? "yes" : "**no**"));
        }
    }

    private static void table(PrintStream out, String header, List<String> rows) {
        if (!rows.isEmpty()) {
            out.println(header);
            rows.forEach(out::println);
            out.println();
        }
    }

    private void bar(List<String> rows, String bar, String arm, String baseline, double required) {
        Double ratio = ratio(arm, baseline);
        if (ratio == null) {
            return;
        }
        boolean met = (required == 1.0) ? ratio < required : ratio <= required;
        rows.add(String.format(Locale.ROOT, "| %s | `%s` | `%s` | %.2fx | %s%.2fx | %s |", bar, simple(arm),
                simple(baseline), ratio, (required == 1.0) ? "< " : "≤ ", required, met ? "yes" : "**no**"));
    }

    private void reference(List<String> rows, String arm, String baseline) {
        Double ratio = ratio(arm, baseline);
        if (ratio != null) {
            rows.add(String.format(Locale.ROOT, "| `%s` | `%s` | %.2fx |", simple(arm), simple(baseline), ratio));
        }
    }

    private @Nullable Double ratio(String arm, String baseline) {
        Double armScore = score(arm, "");
        Double baselineScore = score(baseline, "");
        return (armScore == null || baselineScore == null) ? null : armScore / baselineScore;
    }

    private List<String> allocations() {
        List<String> rows = new ArrayList<>();
        this.scores.forEach((benchmark, byLabel) -> {
            Double bytes = byLabel.get(ALLOCATION);
            if (bytes != null && !benchmark.startsWith("UnwindGrowthBenchmark")) {
                rows.add(String.format(Locale.ROOT, "| `%s` | %.0f |", benchmark, bytes));
            }
        });
        rows.sort(null);
        return rows;
    }

    private List<String> growth() {
        String prefix = "UnwindGrowthBenchmark.registerAndUnwind[entries=";
        Map<Integer, Double> nanosByEntries = new TreeMap<>();
        this.scores.forEach((benchmark, byLabel) -> {
            Double nanos = byLabel.get("");
            if (benchmark.startsWith(prefix) && nanos != null) {
                nanosByEntries.put(Integer.parseInt(benchmark.substring(prefix.length(), benchmark.length() - 1)), nanos);
            }
        });
        List<String> rows = new ArrayList<>();
        Double reference = nanosByEntries.get(1000);
        double perEntryAt1000 = (reference != null) ? reference / 1000 : Double.NaN;
        nanosByEntries.forEach((entries, nanos) -> rows.add(String.format(Locale.ROOT, "| %,d | %.1f | %.2f | %.2fx |",
                entries, nanos, nanos / entries, nanos / entries / perEntryAt1000)));
        return rows;
    }

    private @Nullable Double score(String benchmark, String label) {
        Map<String, Double> byLabel = this.scores.get(benchmark);
        return (byLabel != null) ? byLabel.get(label) : null;
    }

    private static String simple(String benchmark) {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

}
