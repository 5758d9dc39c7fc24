package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * Runs a stack's entries and keeps the books of an unwind: which failure is in flight after
 * each entry (rules 2 to 6 and 10 of {@code docs/unwinding.md}), what is reported to the
 * listener, and whether an {@link InterruptedException} was caught that will not propagate.
 * {@link ExitStack} drives it from a loop; {@link AsyncExitStack} drives the same
 * {@link #settle} step from the completion of each entry's stage.
 */
abstract class EntryRunner extends EntrySlots {

    final ExitStackListener listener;

    /** The scope this stack belongs to (it unwinds once, then refuses entries), or {@code null}. */
    final @Nullable String scope;

    /** Whether the unwind in progress caught an InterruptedException that will not propagate. */
    boolean interruptLost;

    EntryRunner(ExitStackListener listener, @Nullable String scope) {
        this.listener = listener;
        this.scope = scope;
    }

    /**
     * Wraps a resource with what it is reported as, reporting its registration. If the
     * listener throws, the resource is closed at once and the failure propagates.
     */
    final Object track(Object entry, int kind, @Nullable String name) {
        String reportedName = (name != null) ? name : EntryNames.of(entry);
        Object token;
        try {
            token = this.listener.resourceRegistered(reportedName);
        }
        catch (Throwable ex) {
            Throwable closeFailure = runAtOnce(entry, kind);
            if (closeFailure != null) {
                ex.addSuppressed(closeFailure);
            }
            throw Failures.<RuntimeException>sneakyThrow(ex);
        }
        return new Tracked(entry, kind, reportedName, token);
    }

    /**
     * Runs a synchronous entry of any kind but a plain close.
     * @return the failure in flight afterwards
     */
    final @Nullable Throwable runEntry(Object entry, int kind, @Nullable Throwable pending) {
        String name = null;
        Object token = null;
        if (kind == TRACKED) {
            Tracked tracked = (Tracked) entry;
            entry = tracked.entry;
            kind = tracked.kind;
            name = tracked.name;
            token = tracked.token;
        }
        boolean swallowed = false;
        Throwable thrown = null;
        try {
            switch (kind) {
                case CLOSE -> ((AutoCloseable) entry).close();
                case CONTEXT, STACK -> swallowed = ((ContextManager<?>) entry).exit(pending);
                case PUSH -> swallowed = ((ExitCallback) entry).onExit(pending);
                case CALLBACK -> ((ThrowingRunnable) entry).run();
                case ON_FAILURE -> {
                    if (pending != null) {
                        ((ThrowingRunnable) entry).run();
                    }
                }
                default -> {
                    if (pending == null) {
                        ((ThrowingRunnable) entry).run();
                    }
                }
            }
        }
        catch (Throwable ex) {
            thrown = ex;
        }
        return settle(entry, kind, name, token, swallowed, thrown, pending);
    }

    /**
     * One step of the unwind: an entry ran, swallowing the failure in flight or not, and
     * threw {@code thrown} or not.
     * @return the failure in flight afterwards
     */
    final @Nullable Throwable settle(Object entry, int kind, @Nullable String name, @Nullable Object token,
            boolean swallowed, @Nullable Throwable thrown, @Nullable Throwable pending) {
        // Only what an entered stack's own exit threw (having swallowed the failure in
        // flight) replaces that failure; a failure of the listener reporting the entry is
        // added to the failure in flight like any other entry's.
        boolean stack = kind == STACK || kind == ASYNC_STACK;
        boolean replaces = stack && (thrown != null || swallowed);
        if (name != null) {
            thrown = reportClosed(name, token, thrown);
        }
        if (thrown != null) {
            return failed(entry, name, thrown, pending, replaces);
        }
        if (swallowed && pending != null && !(pending instanceof VirtualMachineError)) {
            this.interruptLost |= pending instanceof InterruptedException;
            return stack ? null : reportSuppressed(entry, name, pending, SuppressionReason.SWALLOWED, null);
        }
        return pending;
    }

    /**
     * An entry threw: keeps the failure in flight primary and attaches the new one, unless
     * nothing was in flight, the new one is a {@link VirtualMachineError}, or it comes from
     * an entered stack that swallowed the failure in flight.
     * @return the failure in flight afterwards
     */
    final @Nullable Throwable failed(Object entry, @Nullable String name, Throwable thrown,
            @Nullable Throwable pending, boolean replaces) {
        if (thrown == pending) {
            return pending;
        }
        if (pending == null || replaces) {
            return thrown;
        }
        if (thrown instanceof VirtualMachineError && !(pending instanceof VirtualMachineError)) {
            thrown.addSuppressed(pending);
            this.interruptLost |= pending instanceof InterruptedException;
            return (this.listener == ExitStackListener.NONE) ? thrown
                    : reportSuppressed(entry, name, pending, SuppressionReason.CLOSE_DURING_FAILURE, thrown);
        }
        pending.addSuppressed(thrown);
        this.interruptLost |= thrown instanceof InterruptedException;
        return (this.listener == ExitStackListener.NONE) ? pending
                : reportSuppressed(entry, name, thrown, SuppressionReason.CLOSE_DURING_FAILURE, pending);
    }

    /** Takes the interrupt flag of the unwind that ends and sets the thread's again if needed. */
    final void restoreInterrupt() {
        if (this.interruptLost) {
            this.interruptLost = false;
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Refuses an entry offered after the scope ended: closes it at once if it was acquired,
     * reports the late registration, and throws an {@link IllegalStateException} naming the
     * scope.
     */
    final void refuse(Object entry, int kind, @Nullable String name, boolean entered) {
        String reportedName = (name != null) ? name : EntryNames.of(entry);
        IllegalStateException error = new IllegalStateException(refusal(reportedName, fate(kind, entered)));
        if (entered) {
            Throwable closeFailure = runAtOnce(entry, kind);
            if (closeFailure != null) {
                error.addSuppressed(closeFailure);
                if (closeFailure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            this.listener.lateRegistration(reportedName);
        }
        catch (Throwable ex) {
            error.addSuppressed(ex);
        }
        throw error;
    }

    /**
     * Why {@link #refuse} refuses an entry: the message of its exception.
     * @param name what the entry is reported as
     * @param fate what became of it: "it was closed at once", "it was run at once", "it will
     * never run" or "it was not entered"
     */
    String refusal(String name, String fate) {
        return "Cannot register '" + name + "' on " + this.scope + ": the scope has ended and its stack was unwound, "
                + "so " + fate + ". Register resources while the scope is active, or keep the scope open until the "
                + "work ends.";
    }

    /** What {@link #refuse} does with an entry of {@code kind}, as its message says it. */
    private static String fate(int kind, boolean entered) {
        if (!entered) {
            return "it was not entered";
        }
        return switch (kind) {
            case PUSH, CALLBACK, ASYNC_PUSH, ASYNC_CALLBACK -> "it was run at once";
            case ON_FAILURE, ON_SUCCESS -> "it will never run";
            default -> "it was closed at once";
        };
    }

    /**
     * Runs an entry that will never be unwound, with nothing in flight: a refused or
     * unreported one. An asynchronous close is started, not awaited; if its stage fails
     * later, the failure is reported to the listener.
     * @return what it threw, or {@code null}
     */
    final @Nullable Throwable runAtOnce(Object entry, int kind) {
        try {
            switch (kind) {
                case CLOSE -> ((AutoCloseable) entry).close();
                case CONTEXT, STACK -> ((ContextManager<?>) entry).exit(null);
                case PUSH -> ((ExitCallback) entry).onExit(null);
                case CALLBACK -> ((ThrowingRunnable) entry).run();
                case ON_FAILURE, ON_SUCCESS -> {
                    // they guard nothing that was acquired
                }
                default -> {
                    return AsyncEntries.startAtOnce(entry, kind, this.listener);
                }
            }
            return null;
        }
        catch (Throwable ex) {
            return ex;
        }
    }

    private @Nullable Throwable reportClosed(String name, @Nullable Object token, @Nullable Throwable thrown) {
        try {
            this.listener.resourceClosed(name, token, thrown);
            return thrown;
        }
        catch (Throwable ex) {
            return Failures.attach(thrown, ex);
        }
    }

    /**
     * Reports a suppressed exception and returns the failure in flight afterwards:
     * {@code inFlight}, or what the listener threw when nothing else was in flight.
     */
    final @Nullable Throwable reportSuppressed(Object entry, @Nullable String name, Throwable exception,
            SuppressionReason reason, @Nullable Throwable inFlight) {
        ExitStackListener reportTo = this.listener;
        if (reportTo == ExitStackListener.NONE) {
            return inFlight;
        }
        try {
            reportTo.exceptionSuppressed((name != null) ? name : EntryNames.of(entry), exception, reason);
            return inFlight;
        }
        catch (Throwable ex) {
            return Failures.attach(inFlight, ex);
        }
    }

    /**
     * An entry of a stack with a listener: the entry, its kind, and what it is reported as.
     */
    record Tracked(Object entry, int kind, String name, @Nullable Object token) {
    }

}
