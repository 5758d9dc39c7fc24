package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * Who may register on and unwind an {@link ExitStack}, and when. The stack is owned by the
 * thread that created it, or by the one that last unwound it: the owner registers with plain
 * writes; any other thread registers through the monitor into {@link ForeignEntries}, which
 * unwind in registration order relative to the owner's. An unwind runs on one thread at a
 * time; a scope's stack unwinds once and is sealed, refusing later entries.
 */
abstract class OwnedEntries extends EntryRunner {

    private static final int OPEN = 0;

    private static final int UNWINDING = 1;

    private static final int SEALED = 2;

    private Thread owner;

    /**
     * OPEN, UNWINDING or SEALED. The owner reads and writes it without synchronisation; other
     * threads only under the monitor. A change by another thread reaches the owner through
     * the hand-off that let that thread unwind.
     */
    private int state;

    /**
     * Entries registered by other threads, written under the monitor. The owner's unwind loop
     * reads the reference without it, so one registered as the unwind ends may wait for the
     * next unwind; a scope's stack checks again under the monitor before it seals.
     */
    @Nullable ForeignEntries foreign;

    /** The kind of the entry {@link #nextEntry()} returned; used by the unwinding thread only. */
    int nextKind;

    OwnedEntries(ExitStackListener listener, @Nullable String scope) {
        super(listener, scope);
        this.owner = Thread.currentThread();
    }

    final boolean isSealed() {
        return this.state == SEALED;
    }

    final void add(Object entry, int kind, @Nullable String name) {
        if (Thread.currentThread() == this.owner && this.state != SEALED) {
            if (this.listener == ExitStackListener.NONE || kind > STACK) {
                push(entry, kind);
            }
            else {
                push(track(entry, kind, name), TRACKED);
            }
            return;
        }
        addForeign(entry, kind, name);
    }

    private void addForeign(Object entry, int kind, @Nullable String name) {
        synchronized (this) {
            if (this.state != SEALED) {
                Object stored = entry;
                int storedKind = kind;
                if (this.listener != ExitStackListener.NONE && kind <= STACK) {
                    stored = track(entry, kind, name);
                    storedKind = TRACKED;
                }
                if (Thread.currentThread() == this.owner) {
                    push(stored, storedKind);
                    return;
                }
                ForeignEntries foreignEntries = this.foreign;
                if (foreignEntries == null) {
                    foreignEntries = new ForeignEntries();
                    this.foreign = foreignEntries;
                }
                foreignEntries.add(stored, storedKind, this.size);
                return;
            }
        }
        refuse(entry, kind, name, true);
    }

    /** Moves every entry, the owner's and the others', to {@code target}. */
    final synchronized void moveEverythingTo(OwnedEntries target) {
        moveAllTo(target);
        target.foreign = this.foreign;
        this.foreign = null;
    }

    final int count() {
        ForeignEntries foreignEntries = this.foreign;
        if (foreignEntries == null) {
            return this.size;
        }
        synchronized (this) {
            return this.size + foreignEntries.count;
        }
    }

    /**
     * The next entry to unwind when other threads registered some: the latest of theirs if
     * it was registered after the owner's remaining entries, else the owner's latest.
     * @return the entry, its kind in {@link #nextKind}, or {@code null} if none is left
     */
    final @Nullable Object nextEntry() {
        ForeignEntries foreignEntries = this.foreign;
        if (foreignEntries != null) {
            synchronized (this) {
                Object entry = foreignEntries.takeLatestAbove(this.size);
                if (foreignEntries.count == 0 && this.foreign == foreignEntries) {
                    this.foreign = null;
                }
                if (entry != null) {
                    this.nextKind = foreignEntries.takenKind;
                    return entry;
                }
            }
        }
        int index = this.size - 1;
        if (index < 0) {
            return null;
        }
        this.nextKind = kindAt(index);
        return take(index);
    }

    /**
     * Starts an unwind on the current thread.
     * @return {@code false} if this scope's stack has already been unwound
     * @throws IllegalStateException if the stack is unwinding; {@code failure} is attached
     */
    final boolean beginUnwind(@Nullable Throwable failure) {
        if (Thread.currentThread() == this.owner && this.state == OPEN) {
            this.state = UNWINDING;
            return true;
        }
        try {
            return beginUnwindSlowly();
        }
        catch (IllegalStateException refused) {
            // The refusal replaces the failure in flight for a stack entered into another
            // one, so it carries that failure: nothing is lost.
            if (failure != null) {
                refused.addSuppressed(failure);
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            throw refused;
        }
    }

    private boolean beginUnwindSlowly() {
        Thread current = Thread.currentThread();
        synchronized (this) {
            switch (this.state) {
                case OPEN -> {
                    this.owner = current;
                    this.state = UNWINDING;
                    return true;
                }
                case SEALED -> {
                    return false;
                }
                default -> throw new IllegalStateException((current == this.owner)
                        ? "ExitStack.close() or exit() was called from one of the stack's own entries while it "
                                + "unwinds; an entry must not unwind the stack it belongs to"
                        : "ExitStack is being unwound by thread '" + this.owner.getName()
                                + "'; a stack unwinds on one thread at a time");
            }
        }
    }

    /**
     * Ends the unwind unless other threads registered entries meanwhile, and sets the
     * interrupt flag again if an InterruptedException was swallowed or attached.
     * @return whether the unwind is over
     */
    final boolean finishUnwind() {
        if (this.scope == null && this.foreign == null) {
            this.state = OPEN;
        }
        else {
            synchronized (this) {
                ForeignEntries foreignEntries = this.foreign;
                if (foreignEntries != null && foreignEntries.count > 0) {
                    return false;
                }
                this.foreign = null;
                this.state = (this.scope != null) ? SEALED : OPEN;
            }
        }
        restoreInterrupt();
        return true;
    }

}
