package io.github.managedscopes.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The scores of JMH CSV results ({@code -rf csv}) with their errors, by benchmark
 * ("Class.method[param=value,...]", the package left out) and secondary label ("" for the
 * primary score, {@code gc.alloc.rate.norm} for instance). When several files hold the same
 * score, the first one read wins.
 */
final class BenchmarkScores {

    private static final String PACKAGE = BenchmarkScores.class.getPackageName() + ".";

    private static final String ERROR = "Score Error (99.9%)";

    private static final String PARAM = "Param: ";

    private final Map<String, Map<String, Estimate>> scores = new LinkedHashMap<>();

    /**
     * Adds the scores of a JMH CSV file.
     * @param file the file
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if its header has no "Score" or error column
     */
    void read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = split(lines.get(0));
        int scoreColumn = header.indexOf("Score");
        int errorColumn = header.indexOf(ERROR);
        if (scoreColumn < 0 || errorColumn < 0) {
            throw new IllegalArgumentException("'" + file + "' is not JMH CSV output: its header " + header
                    + " lacks \"Score\" or \"" + ERROR + "\"; run JMH with -rf csv");
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> row = split(line);
            String name = row.get(0).startsWith(PACKAGE) ? row.get(0).substring(PACKAGE.length()) : row.get(0);
            int colon = name.indexOf(':');
            String label = (colon < 0) ? "" : name.substring(colon + 1);
            StringBuilder key = new StringBuilder((colon < 0) ? name : name.substring(0, colon));
            for (int i = 0; i < row.size() && i < header.size(); i++) {
                if (header.get(i).startsWith(PARAM) && !row.get(i).isEmpty()) {
                    key.append('[').append(header.get(i).substring(PARAM.length())).append('=').append(row.get(i))
                        .append(']');
                }
            }
            Estimate estimate = new Estimate(Double.parseDouble(row.get(scoreColumn)),
                    Double.parseDouble(row.get(errorColumn)));
            this.scores.computeIfAbsent(key.toString(), (k) -> new TreeMap<>()).putIfAbsent(label, estimate);
        }
    }

    /**
     * The score of a benchmark.
     * @param benchmark "Class.method[param=value,...]"
     * @param label the secondary result's label, or "" for the primary score
     * @return the score, or {@code null} when no file held it
     */
    @Nullable Estimate get(String benchmark, String label) {
        Map<String, Estimate> byLabel = this.scores.get(benchmark);
        return (byLabel != null) ? byLabel.get(label) : null;
    }

    /** Calls {@code action} with each benchmark that has a score labelled {@code label}, in the order read. */
    void forEach(String label, BiConsumer<String, Estimate> action) {
        this.scores.forEach((benchmark, byLabel) -> {
            Estimate estimate = byLabel.get(label);
            if (estimate != null) {
                action.accept(benchmark, estimate);
            }
        });
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

    /**
     * A score and its error, the half-width of JMH's 99.9 % confidence interval ({@code NaN}
     * when the run had too few iterations to compute one).
     * @param score the score
     * @param error its error
     */
    record Estimate(double score, double error) {

        /** Whether the error is known: JMH computes none from a single iteration. */
        boolean hasError() {
            return !Double.isNaN(this.error) && !Double.isInfinite(this.error);
        }

    }

}
