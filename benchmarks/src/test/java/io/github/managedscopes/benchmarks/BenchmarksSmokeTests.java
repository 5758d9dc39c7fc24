package io.github.managedscopes.benchmarks;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark once, in this JVM, for a tenth of a second, so that a benchmark that
 * no longer compiles, throws or finds nothing to run fails the build. Measures nothing.
 */
class BenchmarksSmokeTests {

    private static final List<Class<?>> BENCHMARKS = List.of(RegisterAndUnwindBenchmark.class,
            FailingCloseBenchmark.class, UnwindGrowthBenchmark.class, ManagedResourceBenchmark.class,
            MetricsBenchmark.class, RequestFilterBenchmark.class, AsyncCompletedStagesBenchmark.class,
            AsyncHandOffBenchmark.class, ExchangeScopeBenchmark.class, ManagedRequestBenchmark.class);

    @Test
    void everyBenchmarkRunsOnceAndProducesAScore() throws RunnerException {
        OptionsBuilder builder = new OptionsBuilder();
        BENCHMARKS.forEach((type) -> builder.include("^" + type.getName().replace(".", "\\.") + "\\."));
        Options options = builder.forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .param("entries", "1", "10", "100")
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();

        Collection<RunResult> results = new Runner(options).run();

        List<String> ran = results.stream()
            .map((result) -> result.getParams().getBenchmark() + paramsOf(result))
            .toList();
        assertThat(ran).containsExactlyInAnyOrderElementsOf(expectedRuns());
        assertThat(results).allSatisfy((result) -> {
            assertThat(result.getPrimaryResult().getScoreUnit()).isEqualTo("ns/op");
            assertThat(result.getPrimaryResult().getScore()).isPositive().isFinite();
        });
    }

    private static String paramsOf(RunResult result) {
        return result.getParams()
            .getParamsKeys()
            .stream()
            .map((key) -> "[" + key + "=" + result.getParams().getParam(key) + "]")
            .reduce("", String::concat);
    }

    private static List<String> expectedRuns() {
        return BENCHMARKS.stream().flatMap((type) -> Arrays.stream(type.getMethods())
            .filter((method) -> method.isAnnotationPresent(Benchmark.class))
            .flatMap((method) -> runsOf(type, method))).toList();
    }

    private static Stream<String> runsOf(Class<?> type, Method method) {
        String benchmark = type.getName() + "." + method.getName();
        if (type == FailingCloseBenchmark.class) {
            return Stream.of(benchmark + "[failing=1]", benchmark + "[failing=3]");
        }
        if (type == UnwindGrowthBenchmark.class) {
            return Stream.of(benchmark + "[entries=1]", benchmark + "[entries=10]", benchmark + "[entries=100]");
        }
        return Stream.of(benchmark);
    }

}
