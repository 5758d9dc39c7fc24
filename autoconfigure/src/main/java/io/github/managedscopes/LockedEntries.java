package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * Who may register on and unwind an {@link AsyncExitStack}: any thread, at any time, under
 * the stack's monitor. An asynchronous unwind hops from thread to thread with the stages it
 * awaits, so no thread owns the stack; the unwind owns its entries instead, from its start to
 * its end, and takes them without the monitor. Entries registered while it unwinds wait apart
 * ({@link #late}) and run in the same unwind, next. A scope's stack unwinds once and is sealed,
 * refusing later entries.
 */
abstract class LockedEntries extends EntryRunner {

    static final int OPEN = 0;

    static final int UNWINDING = 1;

    static final int SEALED = 2;

    /** OPEN, UNWINDING or SEALED; guarded by the monitor. */
    int state;

    /**
     * Entries registered while the stack unwinds: written under the monitor, read by the
     * unwind without it to see whether there are any.
     */
    private volatile @Nullable ForeignEntries late;

    /** The kind of the entry {@link #takeNext()} returned; used by the unwinding thread only. */
    int takenKind;

    LockedEntries(ExitStackListener listener, @Nullable String scope) {
        super(listener, scope);
    }

    final void add(Object entry, int kind, @Nullable String name) {
        synchronized (this) {
            if (this.state != SEALED) {
                Object stored = entry;
                int storedKind = kind;
                if (this.listener != ExitStackListener.NONE && isResource(kind)) {
                    stored = track(entry, kind, name);
                    storedKind = TRACKED;
                }
                if (this.state == OPEN) {
                    push(stored, storedKind);
                    return;
                }
                ForeignEntries waiting = this.late;
                if (waiting == null) {
                    waiting = new ForeignEntries();
                    this.late = waiting;
                }
                waiting.add(stored, storedKind, 0);
                return;
            }
        }
        refuse(entry, kind, name, true);
    }

    /** Refuses a manager before it is entered if the scope has ended. */
    final void refuseIfSealed(Object manager, int kind) {
        boolean sealed;
        synchronized (this) {
            sealed = this.state == SEALED;
        }
        if (sealed) {
            refuse(manager, kind, null, false);
        }
    }

    /** The entries to run, approximately while an unwind takes them. */
    final synchronized int count() {
        ForeignEntries waiting = this.late;
        return this.size + ((waiting != null) ? waiting.count : 0);
    }

    /**
     * Moves every entry to {@code target}.
     * @throws IllegalStateException while the stack unwinds: the unwind owns its entries
     */
    final synchronized void moveEverythingTo(LockedEntries target) {
        if (this.state == UNWINDING) {
            throw new IllegalStateException("AsyncExitStack.popAll() was called while the stack unwinds; the "
                    + "unwind owns its entries, so move them before closeAsync() or exitAsync(), not from an entry");
        }
        moveAllTo(target);
    }

    /**
     * Starts an unwind.
     * @return the state the stack was in: only from OPEN does the unwind go on
     */
    final synchronized int beginUnwind() {
        int before = this.state;
        if (before == OPEN) {
            this.state = UNWINDING;
        }
        return before;
    }

    /**
     * Takes the next entry to unwind: the latest registered while the stack unwinds, else the
     * latest of the others; ends the unwind if none is left.
     * @return the entry, its kind in {@link #takenKind}, or {@code null} once the unwind ended
     */
    final @Nullable Object takeNext() {
        if (this.late != null) {
            Object entry = takeLate();
            if (entry != null) {
                return entry;
            }
        }
        int index = this.size - 1;
        if (index >= 0) {
            this.takenKind = kindAt(index);
            return take(index);
        }
        synchronized (this) {
            if (this.late == null) {
                this.state = (this.scope != null) ? SEALED : OPEN;
                return null;
            }
        }
        return takeNext();
    }

    private synchronized @Nullable Object takeLate() {
        ForeignEntries waiting = this.late;
        if (waiting == null) {
            return null;
        }
        Object entry = waiting.takeLatestAbove(0);
        if (waiting.count == 0) {
            this.late = null;
        }
        this.takenKind = waiting.takenKind;
        return entry;
    }

}
