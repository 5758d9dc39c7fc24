package io.github.managedscopes.benchmarks;

import java.util.Locale;

import io.github.managedscopes.benchmarks.BenchmarkScores.Estimate;
import org.jspecify.annotations.Nullable;

/**
 * One performance bar of DESIGN section 7: the ratio of an arm to its baseline, measured in
 * the same run, must stay within {@code required} (below it when {@code strict}). It is met
 * only when the whole interval the error bars of both arms allow is within it.
 * @param wording what DESIGN says
 * @param arm the measured arm, "Class.method[param=value,...]"
 * @param baseline the arm it is compared with
 * @param required the largest ratio allowed
 * @param strict whether the ratio must be below {@code required} ("faster than")
 */
record Bar(String wording, String arm, String baseline, double required, boolean strict) {

    /** A bar "at most {@code required} times the baseline". */
    static Bar atMost(String wording, String arm, String baseline, double required) {
        return new Bar(wording, arm, baseline, required, false);
    }

    /** A bar "faster than the baseline". */
    static Bar fasterThan(String wording, String arm, String baseline) {
        return new Bar(wording, arm, baseline, 1.0, true);
    }

    /**
     * Judges this bar on the given scores.
     * @param scores the scores of a run
     * @return the judgement, or {@code null} when the run did not measure both arms
     */
    @Nullable Judgement judge(BenchmarkScores scores) {
        Ratio ratio = Ratio.of(scores, this.arm, this.baseline);
        if (ratio == null) {
            return null;
        }
        Verdict verdict;
        if (this.strict ? ratio.upper() < this.required : ratio.upper() <= this.required) {
            verdict = Verdict.YES;
        }
        else if (this.strict ? ratio.lower() >= this.required : ratio.lower() > this.required) {
            verdict = Verdict.NO;
        }
        else {
            verdict = Verdict.UNDECIDED;
        }
        return new Judgement(this.wording, this.arm, this.baseline, ratio.toString(),
                String.format(Locale.ROOT, "%s %.2fx", this.strict ? "<" : "≤", this.required), verdict);
    }

    /** Whether a bar is met. */
    enum Verdict {

        /** The whole interval is within the bar. */
        YES("yes"),

        /** The whole interval is beyond the bar. */
        NO("**no**"),

        /** The interval straddles the bar: the run cannot tell. */
        UNDECIDED("undecided (noise)");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return this.text;
        }

    }

    /**
     * A bar judged on one run: a row of the report.
     * @param wording what DESIGN says
     * @param arm the measured arm
     * @param baseline its baseline
     * @param measured the measured value with its interval
     * @param required the value the bar requires
     * @param verdict whether the bar is met
     */
    record Judgement(String wording, String arm, String baseline, String measured, String required,
            Verdict verdict) {
    }

    /**
     * The ratio of an arm's score to its baseline's, with the interval {@code [(a - ea) / (b + eb),
     * (a + ea) / (b - eb)]} their errors allow: from 0 when {@code a - ea} is negative, unbounded
     * when {@code b - eb} is not positive or an error is unknown.
     * @param value the ratio of the scores
     * @param lower the lower bound
     * @param upper the upper bound, possibly infinite
     */
    record Ratio(double value, double lower, double upper) {

        static @Nullable Ratio of(BenchmarkScores scores, String arm, String baseline) {
            Estimate a = scores.get(arm, "");
            Estimate b = scores.get(baseline, "");
            return (a == null || b == null) ? null : of(a, b);
        }

        static Ratio of(Estimate a, Estimate b) {
            double value = a.score() / b.score();
            if (!a.hasError() || !b.hasError()) {
                return new Ratio(value, 0, Double.POSITIVE_INFINITY);
            }
            double lower = Math.max(0, (a.score() - a.error()) / (b.score() + b.error()));
            double denominator = b.score() - b.error();
            double upper = (denominator <= 0) ? Double.POSITIVE_INFINITY : (a.score() + a.error()) / denominator;
            return new Ratio(value, lower, upper);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2fx [%.2f, %s]", this.value, this.lower,
                    Double.isInfinite(this.upper) ? "∞" : String.format(Locale.ROOT, "%.2f", this.upper));
        }

    }

}
