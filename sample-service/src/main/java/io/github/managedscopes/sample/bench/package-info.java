/**
 * Endpoints that exist for the end-to-end load harness, {@code benchmarks/load/run.sh}: the
 * same cheap work written with try-with-resources and with {@code @ManagedResource}, and an
 * endpoint that never touches its request's stack. Not part of the document service.
 */
@NullMarked
package io.github.managedscopes.sample.bench;

import org.jspecify.annotations.NullMarked;
