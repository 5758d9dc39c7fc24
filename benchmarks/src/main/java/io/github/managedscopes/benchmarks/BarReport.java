package io.github.managedscopes.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.managedscopes.benchmarks.Bar.Judgement;
import io.github.managedscopes.benchmarks.Bar.Ratio;
import io.github.managedscopes.benchmarks.Bar.Verdict;
import io.github.managedscopes.benchmarks.BenchmarkScores.Estimate;
import org.jspecify.annotations.Nullable;

/**
 * Turns JMH CSV results ({@code -rf csv -rff results.csv}) into the tables of the README: one
 * table of the bars of DESIGN section 7, each with its wording, the ratio of its two arms with
 * the interval their error bars allow, and whether it is met (yes only when the whole interval
 * is within the bar, no only when it is wholly beyond, undecided otherwise); then the reference
 * arms, the bytes allocated per operation when the run used {@code -prof gc}, and the cost per
 * entry of {@link UnwindGrowthBenchmark}. Ratios only: absolute times depend on the machine.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.github.managedscopes.benchmarks.BarReport
 * results.csv [gc-results.csv ...]}. When several files hold the same score, the first one
 * wins, so a run without profilers can be listed before a {@code -prof gc} run.
 */
public final class BarReport {

    private static final String ALLOCATION = "gc.alloc.rate.norm";

    private static final String CORE = "RegisterAndUnwindBenchmark.";

    private static final String FAILING = "FailingCloseBenchmark.";

    private static final String MANAGED = "ManagedResourceBenchmark.";

    private static final String METRICS = "MetricsBenchmark.";

    private static final String FILTER = "RequestFilterBenchmark.";

    /** The ratio bars of DESIGN section 7, in its order, each in its words. */
    static final List<Bar> BARS = List.of(
            Bar.atMost("Registering and unwinding 1 resource: at most 1.10x the hand-written try-with-resources",
                    CORE + "exitStack1", CORE + "tryWithResources1", 1.10),
            Bar.atMost("Registering and unwinding 8 resources: at most 1.10x the hand-written (nested) "
                    + "try-with-resources", CORE + "exitStack8", CORE + "tryWithResources8", 1.10),
            Bar.fasterThan("1 resource: faster than Guava's `Closer`", CORE + "exitStack1", CORE + "closer1"),
            Bar.fasterThan("8 resources: faster than Guava's `Closer`", CORE + "exitStack8", CORE + "closer8"),
            Bar.atMost("Failing closes (1 of 3 throwing): at most 1.05x the JDK's try-with-resources doing the same",
                    FAILING + "exitStack[failing=1]", FAILING + "tryWithResources[failing=1]", 1.05),
            Bar.atMost("Failing closes (3 of 3 throwing): at most 1.05x the JDK's try-with-resources doing the same",
                    FAILING + "exitStack[failing=3]", FAILING + "tryWithResources[failing=3]", 1.05),
            Bar.atMost("`AsyncExitStack` with stages already complete, 1 resource: at most 1.5x the sync "
                    + "`ExitStack` on the same entries", "AsyncCompletedStagesBenchmark.asyncExitStack1",
                    CORE + "exitStack1", 1.5),
            Bar.atMost("`AsyncExitStack` with stages already complete, 8 resources: at most 1.5x the sync "
                    + "`ExitStack` on the same entries", "AsyncCompletedStagesBenchmark.asyncExitStack8",
                    CORE + "exitStack8", 1.5),
            Bar.atMost("`AsyncExitStack` with stages completed by another thread, 1 resource: at most 1.10x a "
                    + "hand-written `thenCompose` chain", "AsyncHandOffBenchmark.asyncExitStack1",
                    "AsyncHandOffBenchmark.thenComposeChain1", 1.10),
            Bar.atMost("`AsyncExitStack` with stages completed by another thread, 8 resources: at most 1.10x a "
                    + "hand-written `thenCompose` chain", "AsyncHandOffBenchmark.asyncExitStack8",
                    "AsyncHandOffBenchmark.thenComposeChain8", 1.10),
            Bar.atMost("`@ManagedResource` call, JDK proxy: at most 1.10x a no-op `MethodInterceptor` on the same "
                    + "proxy inside the same scope", MANAGED + "jdkManaged", MANAGED + "jdkNoOp", 1.10),
            Bar.atMost("`@ManagedResource` call, CGLIB proxy: at most 1.10x a no-op `MethodInterceptor` on the same "
                    + "proxy inside the same scope", MANAGED + "cglibManaged", MANAGED + "cglibNoOp", 1.10),
            Bar.atMost("Unannotated methods of an advised bean, JDK proxy: at most 1.02x the same bean proxied by "
                    + "a no-op advisor", MANAGED + "jdkUnannotated", MANAGED + "jdkNoOpUnannotated", 1.02),
            Bar.atMost("Unannotated methods of an advised bean, CGLIB proxy: at most 1.02x the same bean proxied by "
                    + "a no-op advisor", MANAGED + "cglibUnannotated", MANAGED + "cglibNoOpUnannotated", 1.02),
            Bar.atMost("Metrics on, register + unwind 1 resource: at most 1.10x the same resource instrumented by "
                    + "hand with the same Micrometer meters", METRICS + "metricsOn1", METRICS + "handInstrumented1",
                    1.10),
            Bar.atMost("Metrics on, register + unwind 8 resources: at most 1.10x the same resources instrumented "
                    + "by hand with the same Micrometer meters", METRICS + "metricsOn8",
                    METRICS + "handInstrumented8", 1.10));

    private final BenchmarkScores scores;

    BarReport(BenchmarkScores scores) {
        this.scores = scores;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("Usage: BarReport results.csv [more-results.csv ...] (JMH -rf csv output)");
            System.exit(2);
        }
        BenchmarkScores scores = new BenchmarkScores();
        for (String file : args) {
            scores.read(Path.of(file));
        }
        new BarReport(scores).print(System.out);
    }

    /** The bars the run measured both arms of, judged, in DESIGN's order, the untouched request last. */
    List<Judgement> judgements() {
        List<Judgement> judgements = new ArrayList<>();
        for (Bar bar : BARS) {
            Judgement judgement = bar.judge(this.scores);
            if (judgement != null) {
                judgements.add(judgement);
            }
        }
        Judgement untouched = untouchedRequest();
        if (untouched != null) {
            judgements.add(untouched);
        }
        return judgements;
    }

    /**
     * A request that never touches its stack: 0 extra bytes, that is less than half a byte per
     * operation more with the starter than without it, across the whole interval of both errors.
     */
    private @Nullable Judgement untouchedRequest() {
        Estimate with = this.scores.get(FILTER + "withStarter", ALLOCATION);
        Estimate without = this.scores.get(FILTER + "withoutStarter", ALLOCATION);
        if (with == null || without == null) {
            return null;
        }
        double extra = with.score() - without.score();
        double margin = (with.hasError() && without.hasError()) ? with.error() + without.error()
                : Double.POSITIVE_INFINITY;
        Verdict verdict = (extra + margin < 0.5) ? Verdict.YES
                : (extra - margin >= 0.5) ? Verdict.NO : Verdict.UNDECIDED;
        return new Judgement("A request that never touches its stack: 0 extra bytes allocated (`-prof gc`)",
                FILTER + "withStarter", FILTER + "withoutStarter",
                String.format(Locale.ROOT, "%+.1f B/op ± %.1f", extra, margin), "0 B/op", verdict);
    }

    void print(PrintStream out) {
        List<String> bars = new ArrayList<>();
        for (Judgement judgement : judgements()) {
            bars.add(String.format(Locale.ROOT, "| %s | `%s` | `%s` | %s | %s | %s |", judgement.wording(),
                    simple(judgement.arm()), simple(judgement.baseline()), judgement.measured(), judgement.required(),
                    judgement.verdict()));
        }
        table(out, "| Bar (DESIGN section 7) | Arm | Baseline | Ratio [99.9 % interval] | Required | Met |\n"
                + "|---|---|---|---|---|---|", bars);
        List<String> references = new ArrayList<>();
        for (String resources : List.of("1", "8")) {
            for (String arm : List.of("closer", "naiveStack", "lockedNaiveStack")) {
                reference(references, CORE + arm + resources, CORE + "tryWithResources" + resources);
            }
            reference(references, METRICS + "metricsOn" + resources, METRICS + "metricsOff" + resources);
            reference(references, METRICS + "handInstrumented" + resources, METRICS + "metricsOff" + resources);
        }
        for (String proxy : List.of("jdk", "cglib")) {
            reference(references, MANAGED + proxy + "NoOpUnannotated", MANAGED + "plainUnannotated");
            reference(references, MANAGED + proxy + "Unannotated", MANAGED + "plainUnannotated");
        }
        reference(references, FILTER + "withStarter", FILTER + "withoutStarter");
        table(out, "| Reference arm (no bar) | Baseline | Ratio [99.9 % interval] |\n|---|---|---|", references);
        table(out, "| Arm | " + ALLOCATION + " (B/op) |\n|---|---|", allocations());
        table(out, "| Entries | ns/op | ns per entry | per entry vs 1,000 entries |\n|---|---|---|---|", growth());
    }

    private void reference(List<String> rows, String arm, String baseline) {
        Ratio ratio = Ratio.of(this.scores, arm, baseline);
        if (ratio != null) {
            rows.add(String.format(Locale.ROOT, "| `%s` | `%s` | %s |", simple(arm), simple(baseline), ratio));
        }
    }

    private static void table(PrintStream out, String header, List<String> rows) {
        if (!rows.isEmpty()) {
            out.println(header);
            rows.forEach(out::println);
            out.println();
        }
    }

    private List<String> allocations() {
        List<String> rows = new ArrayList<>();
        this.scores.forEach(ALLOCATION, (benchmark, bytes) -> {
            if (!benchmark.startsWith("UnwindGrowthBenchmark")) {
                rows.add(String.format(Locale.ROOT, "| `%s` | %.0f ± %.0f |", benchmark, bytes.score(), bytes.error()));
            }
        });
        rows.sort(null);
        return rows;
    }

    private List<String> growth() {
        String prefix = "UnwindGrowthBenchmark.registerAndUnwind[entries=";
        Map<Integer, Double> nanosByEntries = new TreeMap<>();
        this.scores.forEach("", (benchmark, nanos) -> {
            if (benchmark.startsWith(prefix)) {
                nanosByEntries.put(Integer.parseInt(benchmark.substring(prefix.length(), benchmark.length() - 1)),
                        nanos.score());
            }
        });
        List<String> rows = new ArrayList<>();
        Double reference = nanosByEntries.get(1000);
        double perEntryAt1000 = (reference != null) ? reference / 1000 : Double.NaN;
        nanosByEntries.forEach((entries, nanos) -> rows.add(String.format(Locale.ROOT, "| %,d | %.1f | %.2f | %.2fx |",
                entries, nanos, nanos / entries, nanos / entries / perEntryAt1000)));
        return rows;
    }

    private static String simple(String benchmark) {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

}
