/**
 * The core of managed-scopes: {@link io.github.managedscopes.ExitStack} and the
 * {@code contextlib} counterparts around it. This package depends on the JDK only; Spring
 * and Micrometer integrations plug in through {@link io.github.managedscopes.ExitStackListener}.
 */
@NullMarked
package io.github.managedscopes;

import org.jspecify.annotations.NullMarked;
