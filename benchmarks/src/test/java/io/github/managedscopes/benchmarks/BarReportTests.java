package io.github.managedscopes.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.managedscopes.benchmarks.Bar.Judgement;
import io.github.managedscopes.benchmarks.Bar.Verdict;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link BarReport} judges each bar on the interval the error bars of both arms allow, from
 * JMH's CSV output.
 */
class BarReportTests {

    private static final String HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: failing\"";

    private static final String P = "io.github.managedscopes.benchmarks.";

    @TempDir
    Path directory;

    @Test
    void judgesEachBarOnTheIntervalOfBothErrorBars() throws IOException {
        Map<String, Judgement> judgements = judge(HEADER,
                // [104 / 101, 106 / 99] = [1.03, 1.07]: within 1.10x
                row("RegisterAndUnwindBenchmark.exitStack1", 105, "1", ""),
                row("RegisterAndUnwindBenchmark.tryWithResources1", 100, "1", ""),
                // [128 / 102, 132 / 98] = [1.25, 1.35]: beyond 1.10x
                row("RegisterAndUnwindBenchmark.exitStack8", 130, "2", ""),
                row("RegisterAndUnwindBenchmark.tryWithResources8", 100, "2", ""),
                // [99 / 105, 109 / 95] = [0.94, 1.15]: straddles 1.05x
                row("FailingCloseBenchmark.exitStack", 104, "5", "1"),
                row("FailingCloseBenchmark.tryWithResources", 100, "5", "1"),
                // the baseline's error exceeds its score: no upper bound
                row("FailingCloseBenchmark.exitStack", 50, "1", "3"),
                row("FailingCloseBenchmark.tryWithResources", 40, "45", "3"),
                // "faster than": [104 / 210, 106 / 190] = [0.50, 0.56]
                row("RegisterAndUnwindBenchmark.closer1", 200, "10", ""),
                // "faster than" at exactly 1.00x is not faster: [128 / 128, 132 / 128]
                row("RegisterAndUnwindBenchmark.closer8", 128, "0", ""),
                // one iteration: JMH gives no error
                row("MetricsBenchmark.metricsOn1", 100, "NaN", ""),
                row("MetricsBenchmark.handInstrumented1", 100, "NaN", ""));

        assertThat(judgements.get("exitStack1 / tryWithResources1").verdict()).isEqualTo(Verdict.YES);
        assertThat(judgements.get("exitStack1 / tryWithResources1").measured()).isEqualTo("1.05x [1.03, 1.07]");
        assertThat(judgements.get("exitStack8 / tryWithResources8").verdict()).isEqualTo(Verdict.NO);
        assertThat(judgements.get("exitStack[failing=1] / tryWithResources[failing=1]").verdict())
            .isEqualTo(Verdict.UNDECIDED);
        assertThat(judgements.get("exitStack[failing=3] / tryWithResources[failing=3]").verdict())
            .isEqualTo(Verdict.UNDECIDED);
        assertThat(judgements.get("exitStack[failing=3] / tryWithResources[failing=3]").measured())
            .isEqualTo("1.25x [0.58, ∞]");
        assertThat(judgements.get("metricsOn1 / handInstrumented1").verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(judgements.get("exitStack1 / closer1").verdict()).isEqualTo(Verdict.YES);
        assertThat(judgements.get("exitStack8 / closer8").verdict()).isEqualTo(Verdict.NO);
    }

    @Test
    void judgesTheUntouchedRequestOnItsExtraBytesAndTheirErrors() throws IOException {
        String header = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\"";
        String nothing = "RequestFilterBenchmark.withoutStarter:gc.alloc.rate.norm";
        assertThat(judge(header, row(nothing, 0.00001, "0.00002", null),
                row("RequestFilterBenchmark.withStarter:gc.alloc.rate.norm", 0.00002, "0.00003", null))
            .get("withStarter / withoutStarter")
            .verdict()).isEqualTo(Verdict.YES);
        assertThat(judge(header, row(nothing, 0, "0.1", null),
                row("RequestFilterBenchmark.withStarter:gc.alloc.rate.norm", 24, "0.1", null))
            .get("withStarter / withoutStarter")
            .verdict()).isEqualTo(Verdict.NO);
        assertThat(judge(header, row(nothing, 0, "0.1", null),
                row("RequestFilterBenchmark.withStarter:gc.alloc.rate.norm", 0.3, "0.4", null))
            .get("withStarter / withoutStarter")
            .verdict()).isEqualTo(Verdict.UNDECIDED);
    }

    @Test
    void printsOneTableOfBarsWithTheirWordingRatioIntervalAndVerdict() throws IOException {
        BarReport report = report(HEADER, row("RegisterAndUnwindBenchmark.exitStack8", 130, "2", ""),
                row("RegisterAndUnwindBenchmark.tryWithResources8", 100, "2", ""));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("| Bar (DESIGN section 7) |")
            .contains("| Registering and unwinding 8 resources: at most 1.10x the hand-written (nested) "
                    + "try-with-resources | `exitStack8` | `tryWithResources8` | 1.30x [1.25, 1.35] | ≤ 1.10x | **no** |");
    }

    @Test
    void refusesAFileThatIsNotJmhCsvAndNamesIt() throws IOException {
        Path file = Files.writeString(this.directory.resolve("text.csv"), "\"Benchmark\",\"Score\"\n");

        assertThatIllegalArgumentException().isThrownBy(() -> new BenchmarkScores().read(file))
            .withMessageContaining(file.toString())
            .withMessageContaining("Score Error (99.9%)");
    }

    /** The judgements of a run by "arm / baseline", without their classes. */
    private Map<String, Judgement> judge(String header, String... rows) throws IOException {
        return report(header, rows).judgements()
            .stream()
            .collect(Collectors.toMap((judgement) -> withoutClass(judgement.arm()) + " / "
                    + withoutClass(judgement.baseline()), Function.identity()));
    }

    private static String withoutClass(String benchmark) {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    private BarReport report(String header, String... rows) throws IOException {
        Path file = Files.createTempFile(this.directory, "jmh", ".csv");
        Files.writeString(file, header + "\n" + String.join("\n", rows) + "\n");
        BenchmarkScores scores = new BenchmarkScores();
        scores.read(file);
        return new BarReport(scores);
    }

    /** A row of JMH's CSV output; {@code param} is {@code null} when the header has no parameter column. */
    private static String row(String benchmark, double score, String error, @Nullable String param) {
        return "\"" + P + benchmark + "\",\"avgt\",1,5," + score + "," + error + ",\"ns/op\""
                + ((param != null) ? "," + param : "");
    }

}
