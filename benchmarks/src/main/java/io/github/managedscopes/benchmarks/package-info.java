/**
 * JMH benchmarks for the performance bars of the design: every bar compares two arms measured
 * side by side in one run, and only their ratio is reported.
 */
@NullMarked
package io.github.managedscopes.benchmarks;

import org.jspecify.annotations.NullMarked;
