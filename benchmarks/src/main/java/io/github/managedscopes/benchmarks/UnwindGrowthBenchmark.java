package io.github.managedscopes.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.managedscopes.ExitStack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Registering {@code entries} entries on a fresh {@link ExitStack} and unwinding them, from
 * one to a million, to show that the cost per entry stays flat (linear growth, no quadratic
 * step, no recursion). The entry is one preallocated {@link Counter}, registered
 * {@code entries} times, so that what is measured is the stack itself. JMH reports ns/op;
 * {@link BarReport} divides by {@code entries} for ns per entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnwindGrowthBenchmark {

    @Param({ "1", "10", "100", "1000", "10000", "100000", "1000000" })
    int entries;

    private final Counter counter = new Counter();

    @Benchmark
    public long registerAndUnwind() {
        try (ExitStack stack = new ExitStack()) {
            for (int i = 0; i < this.entries; i++) {
                stack.register(this.counter);
            }
        }
        return this.counter.closed;
    }

    /** How many times the entries were closed in all. */
    long closed() {
        return this.counter.closed;
    }

    /**
     * The cheapest entry there is: closing it increments a counter.
     */
    static final class Counter implements AutoCloseable {

        long closed;

        @Override
        public void close() {
            this.closed++;
        }

    }

}
