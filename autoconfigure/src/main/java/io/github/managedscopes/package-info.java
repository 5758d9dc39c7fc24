/**
 * The core of managed-scopes: {@link io.github.managedscopes.ExitStack}, which closes what was
 * opened in it last-in first-out, exactly once, under the numbered rules of
 * {@code docs/unwinding.md}, and the {@code contextlib} counterparts around it
 * ({@link io.github.managedscopes.ContextManagers}).
 * <p>
 * This package depends on the JDK, JSpecify and slf4j only. The layers above it (Spring scopes,
 * metrics, auto-configuration) plug in through one SPI,
 * {@link io.github.managedscopes.ExitStackListener}, which reports stack facts only: a resource
 * registered, closed, an exception suppressed, a late registration. An architecture test keeps it so.
 */
@NullMarked
package io.github.managedscopes;

import org.jspecify.annotations.NullMarked;
