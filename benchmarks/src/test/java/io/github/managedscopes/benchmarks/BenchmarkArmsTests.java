package io.github.managedscopes.benchmarks;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The arms of each comparison do the same work: they open and close the same resources and
 * end with the same outcome, so that their ratio measures only the bookkeeping around them.
 */
class BenchmarkArmsTests {

    private final Blackhole bh = blackhole();

    @Test
    void everyRegisterAndUnwindArmReleasesWhatItLocked() throws Exception {
        RegisterAndUnwindBenchmark benchmark = new RegisterAndUnwindBenchmark();
        for (Method arm : benchmarkMethods(RegisterAndUnwindBenchmark.class)) {
            arm.invoke(benchmark, this.bh);
            assertThat(benchmark.lockHeld()).as(arm.getName()).isFalse();
        }
    }

    @Test
    void everyCompletedStagesArmReleasesWhatItLocked() throws Exception {
        AsyncCompletedStagesBenchmark benchmark = new AsyncCompletedStagesBenchmark();
        for (Method arm : benchmarkMethods(AsyncCompletedStagesBenchmark.class)) {
            arm.invoke(benchmark, this.bh);
            assertThat(benchmark.lockHeld()).as(arm.getName()).isFalse();
        }
    }

    @Test
    void everyHandOffArmGivesBackEveryPermitOnTheCloserThreadBeforeItReturns() throws Exception {
        AsyncHandOffBenchmark benchmark = new AsyncHandOffBenchmark();
        benchmark.startCloser();
        try {
            for (Method arm : benchmarkMethods(AsyncHandOffBenchmark.class)) {
                arm.invoke(benchmark, this.bh);
                assertThat(benchmark.permitsTaken()).as(arm.getName()).isZero();
            }
        }
        finally {
            benchmark.stopCloser();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 3 })
    void bothFailingCloseArmsPropagateTheInnermostFailure(int failing) {
        FailingCloseBenchmark benchmark = failingCloseBenchmark(failing);

        assertThat(benchmark.tryWithResources(this.bh)).isSameAs(benchmark.inner);
        assertThat(benchmark.exitStack(this.bh)).isSameAs(benchmark.inner);
        assertThat(benchmark.lockHeld()).isFalse();
        assertThat(benchmark.inner.getSuppressed()).isEmpty();
        assertThat(benchmark.inner.getStackTrace()).isNotEmpty();
    }

    @Test
    void bothFailingCloseArmsSuppressTheSameFailuresInTheSameOrder() {
        FailingCloseBenchmark benchmark = failingCloseBenchmark(3);
        List<List<Throwable>> suppressed = new ArrayList<>();
        for (boolean exitStack : new boolean[] { false, true }) {
            benchmark.inner = new IllegalStateException("inner");
            benchmark.middle = new IllegalStateException("middle");
            benchmark.outer = new IllegalStateException("outer");
            RuntimeException failure = exitStack ? benchmark.exitStack(this.bh) : benchmark.tryWithResources(this.bh);
            assertThat(failure).isSameAs(benchmark.inner);
            suppressed.add(Arrays.asList(failure.getSuppressed()));
        }
        assertThat(suppressed.get(1)).extracting(Throwable::getMessage)
            .containsExactly("middle", "outer")
            .isEqualTo(suppressed.get(0).stream().map(Throwable::getMessage).toList());
    }

    @Test
    void unwindGrowthClosesEveryEntryOnce() {
        UnwindGrowthBenchmark benchmark = new UnwindGrowthBenchmark();
        benchmark.entries = 100_000;

        assertThat(benchmark.registerAndUnwind()).isEqualTo(100_000);
        assertThat(benchmark.closed()).isEqualTo(100_000);
    }

    @Test
    void naiveStacksCloseLastInFirstOutAndSuppressLikeTryWithResources() {
        for (boolean locked : new boolean[] { false, true }) {
            List<String> closed = new ArrayList<>();
            RuntimeException first = new IllegalStateException("second");
            RuntimeException later = new IllegalStateException("first");
            AutoCloseable stack = locked ? new LockedNaiveStack() : new NaiveStack();
            register(stack, () -> {
                closed.add("first");
                throw later;
            });
            register(stack, () -> {
                closed.add("second");
                throw first;
            });

            Throwable thrown = catchThrowable(stack::close);

            assertThat(closed).containsExactly("second", "first");
            assertThat(thrown).isSameAs(first);
            assertThat(thrown.getSuppressed()).containsExactly(later);
        }
    }

    private static void register(AutoCloseable stack, AutoCloseable resource) {
        if (stack instanceof LockedNaiveStack lockedNaiveStack) {
            lockedNaiveStack.register(resource);
        }
        else {
            ((NaiveStack) stack).register(resource);
        }
    }

    /** A blackhole for calling arms outside JMH. */
    static Blackhole blackhole() {
        return new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }

    private static FailingCloseBenchmark failingCloseBenchmark(int failing) {
        FailingCloseBenchmark benchmark = new FailingCloseBenchmark();
        benchmark.failing = failing;
        benchmark.createFailures();
        return benchmark;
    }

    /** The {@code @Benchmark} methods of a benchmark class: its arms. */
    static List<Method> benchmarkMethods(Class<?> type) {
        return Arrays.stream(type.getMethods()).filter((method) -> method.isAnnotationPresent(Benchmark.class)).toList();
    }

}
