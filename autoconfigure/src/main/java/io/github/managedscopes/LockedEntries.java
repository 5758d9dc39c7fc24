package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * Who may register on and unwind an {@link AsyncExitStack}: any thread, at any time, under
 * the stack's monitor. An asynchronous unwind hops from thread to thread with the stages it
 * awaits, so no thread owns the stack; entries registered while it unwinds run in the same
 * unwind, next. A scope's stack unwinds once and is sealed, refusing later entries.
 */
abstract class LockedEntries extends EntryRunner {

    static final int OPEN = 0;

    static final int UNWINDING = 1;

    static final int SEALED = 2;

    /** OPEN, UNWINDING or SEALED; guarded by the monitor, like the entries. */
    int state;

    LockedEntries(ExitStackListener listener, @Nullable String scope) {
        super(listener, scope);
    }

    final void add(Object entry, int kind, @Nullable String name) {
        synchronized (this) {
            if (this.state != SEALED) {
                if (this.listener == ExitStackListener.NONE || !isResource(kind)) {
                    push(entry, kind);
                }
                else {
                    push(track(entry, kind, name), TRACKED);
                }
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

    final synchronized int count() {
        return this.size;
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
     * Takes the next entry to unwind, or ends the unwind if none is left.
     * @return the entry, its kind in {@link #takenKind}, or {@code null} once the unwind ended
     */
    final synchronized @Nullable Object takeNext() {
        int index = this.size - 1;
        if (index < 0) {
            this.state = (this.scope != null) ? SEALED : OPEN;
            return null;
        }
        this.takenKind = kindAt(index);
        return take(index);
    }

    /** The kind of the entry {@link #takeNext()} returned; used by the unwinding thread only. */
    int takenKind;

}
