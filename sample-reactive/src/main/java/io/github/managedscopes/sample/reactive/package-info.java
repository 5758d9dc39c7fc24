/**
 * The reactive sample: a WebFlux service whose exchanges close what they opened.
 */
@NullMarked
package io.github.managedscopes.sample.reactive;

import org.jspecify.annotations.NullMarked;
