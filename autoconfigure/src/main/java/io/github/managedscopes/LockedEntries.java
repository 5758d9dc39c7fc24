package io.github.managedscopes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Who may register on and unwind an {@link AsyncExitStack}: any thread, at any time. An
 * asynchronous unwind hops from thread to thread with the stages it awaits, so no thread owns
 * the stack; the unwind owns its entries instead, from its start to its end, and takes them
 * without synchronisation. Entries registered while it unwinds wait apart ({@link #late}) and
 * run in the same unwind, next. A scope's stack unwinds once and is sealed, refusing later
 * entries.
 * <p>
 * One word guards it all: the phase (open, unwinding, sealed), whether entries wait apart,
 * and a busy bit that a registering thread holds for the few instructions of a push. So a
 * registration costs one compare-and-set and an unwind two (its start and its end), where a
 * monitor would cost two per registration and per step: that was most of the price of an
 * asynchronous stack whose stages are already complete (benchmarks/README.md).
 */
abstract class LockedEntries extends EntryRunner {

    static final int OPEN = 0;

    static final int UNWINDING = 1;

    static final int SEALED = 2;

    private static final int PHASE = 3;

    /** A thread is registering: the others wait until it is done. */
    private static final int BUSY = 4;

    /** Entries registered while the stack unwinds wait in {@link #late}. */
    private static final int LATE = 8;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(LockedEntries.class, "state", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The phase and the {@link #BUSY} and {@link #LATE} bits. */
    private volatile int state;

    /** Entries registered while the stack unwinds; guarded by {@link #BUSY}. */
    private @Nullable ForeignEntries late;

    /** The kind of the entry {@link #takeNext()} returned; used by the unwinding thread only. */
    int takenKind;

    /** The failure in flight of the unwind under way; used by the unwinding thread only. */
    @Nullable Throwable pending;

    /** Whether a resource registered under a name keeps it without a listener to report it to. */
    private final boolean keepsNames;

    LockedEntries(ExitStackListener listener, @Nullable String scope, boolean keepsNames) {
        super(listener, scope);
        this.keepsNames = keepsNames;
    }

    final void add(Object entry, int kind, @Nullable String name) {
        int before = hold();
        int after = before;
        try {
            if ((before & PHASE) != SEALED) {
                Object stored = entry;
                int storedKind = kind;
                boolean named = this.listener != ExitStackListener.NONE || (name != null && this.keepsNames);
                if (named && isResource(kind)) {
                    stored = track(entry, kind, name);
                    storedKind = TRACKED;
                }
                if ((before & PHASE) == OPEN) {
                    push(stored, storedKind);
                    return;
                }
                ForeignEntries waiting = this.late;
                if (waiting == null) {
                    waiting = new ForeignEntries();
                    this.late = waiting;
                }
                waiting.add(stored, storedKind, 0);
                after = before | LATE;
                return;
            }
        }
        finally {
            STATE.setRelease(this, after);
        }
        refuse(entry, kind, name, true);
    }

    /** Refuses a manager before it is entered if the scope has ended. */
    final void refuseIfSealed(Object manager, int kind) {
        if ((this.state & PHASE) == SEALED) {
            refuse(manager, kind, null, false);
        }
    }

    /** The entries to run, approximately while an unwind takes them. */
    final int count() {
        int before = hold();
        try {
            ForeignEntries waiting = this.late;
            return this.size + ((waiting != null) ? waiting.count : 0);
        }
        finally {
            STATE.setRelease(this, before);
        }
    }

    /**
     * Moves every entry to {@code target}.
     * @throws IllegalStateException while the stack unwinds: the unwind owns its entries
     */
    final void moveEverythingTo(LockedEntries target) {
        int before = hold();
        try {
            if ((before & PHASE) == UNWINDING) {
                throw new IllegalStateException("AsyncExitStack.popAll() was called while the stack unwinds; the "
                        + "unwind owns its entries, so move them before closeAsync() or exitAsync(), not from an "
                        + "entry");
            }
            moveAllTo(target);
        }
        finally {
            STATE.setRelease(this, before);
        }
    }

    /**
     * Starts an unwind.
     * @return the phase the stack was in: only from OPEN does the unwind go on
     */
    final int beginUnwind() {
        if (STATE.compareAndSet(this, OPEN, UNWINDING)) {
            return OPEN;
        }
        int before = hold();
        STATE.setRelease(this, ((before & PHASE) == OPEN) ? UNWINDING : before);
        return before & PHASE;
    }

    /**
     * Takes the next entry to unwind: the latest registered while the stack unwinds, else the
     * latest of the others; ends the unwind if none is left.
     * @return the entry, its kind in {@link #takenKind}, or {@code null} once the unwind ended
     */
    final @Nullable Object takeNext() {
        for (;;) {
            if ((this.state & LATE) != 0) {
                return takeLate();
            }
            int index = this.size - 1;
            if (index >= 0) {
                this.takenKind = kindAt(index);
                return take(index);
            }
            if (STATE.compareAndSet(this, UNWINDING, (this.scope != null) ? SEALED : OPEN)) {
                return null;
            }
            // A registration is under way: its entry waits apart once it is done.
            Thread.onSpinWait();
        }
    }

    private Object takeLate() {
        int before = hold();
        ForeignEntries waiting = Objects.requireNonNull(this.late);
        Object entry = Objects.requireNonNull(waiting.takeLatestAbove(0));
        this.takenKind = waiting.takenKind;
        int after = before;
        if (waiting.count == 0) {
            this.late = null;
            after = before & ~LATE;
        }
        STATE.setRelease(this, after);
        return entry;
    }

    /**
     * Waits until no other thread is registering, and takes the busy bit.
     * @return the state before, without the busy bit: what to write back, changed or not
     */
    private int hold() {
        for (int spins = 0;; spins++) {
            int current = this.state;
            if ((current & BUSY) == 0 && STATE.compareAndSet(this, current, current | BUSY)) {
                return current;
            }
            if (spins < 64) {
                Thread.onSpinWait();
            }
            else {
                Thread.yield();
            }
        }
    }

}
