/**
 * The core of managed-scopes: {@link io.github.managedscopes.ExitStack}, which closes what was
 * opened in it last-in first-out, exactly once, under the numbered rules of
 * {@code docs/unwinding.md}, and the {@code contextlib} counterparts around it
 * ({@link io.github.managedscopes.ContextManagers}); and
 * {@link io.github.managedscopes.AsyncExitStack}, its asynchronous half (rules A1 to A9 of
 * {@code docs/async.md}).
 * <p>
 * Both stacks are built from the same package-private parts: {@code EntrySlots} stores entries
 * (eight inline, the rest in an array), {@code EntryRunner} runs them and keeps the books of an
 * unwind (which failure is in flight, what is attached, what is reported: one {@code settle}
 * step that the synchronous loop and the asynchronous trampoline both drive),
 * {@code OwnedEntries} is {@code ExitStack}'s owner-thread registration protocol and
 * {@code LockedEntries} {@code AsyncExitStack}'s protocol: one state word, a CAS per registration.
 * <p>
 * This package depends on the JDK, JSpecify and slf4j only. The layers above it (Spring scopes,
 * metrics, auto-configuration) plug in through one SPI,
 * {@link io.github.managedscopes.ExitStackListener}, which reports stack facts only: a resource
 * registered, closed, an exception suppressed, a late registration. An architecture test keeps it so.
 */
@NullMarked
package io.github.managedscopes;

import org.jspecify.annotations.NullMarked;
