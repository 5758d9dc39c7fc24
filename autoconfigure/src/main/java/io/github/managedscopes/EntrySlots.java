package io.github.managedscopes;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The storage of a stack's entries: the first eight live in fields, so that a stack of a few
 * entries is one object the JIT can scalar-replace, the rest in an array; each entry's kind
 * is packed four bits at a time. Not thread-safe: the subclasses decide who may touch it.
 */
abstract class EntrySlots {

    /** {@link AutoCloseable#close()}. */
    static final int CLOSE = 0;

    /** {@link ContextManager#exit(Throwable)}. */
    static final int CONTEXT = 1;

    /** An {@link ExitStack} entered into this one: its exit may replace the failure in flight. */
    static final int STACK = 2;

    /** {@link ExitCallback#onExit(Throwable)}. */
    static final int PUSH = 3;

    /** A {@link ThrowingRunnable} run at every unwind. */
    static final int CALLBACK = 4;

    /** A {@link ThrowingRunnable} run only with a failure in flight. */
    static final int ON_FAILURE = 5;

    /** A {@link ThrowingRunnable} run only without a failure in flight. */
    static final int ON_SUCCESS = 6;

    /** {@link AsyncCloseable#closeAsync()}. */
    static final int ASYNC_CLOSE = 7;

    /** {@link AsyncContextManager#exitAsync(Throwable)}. */
    static final int ASYNC_CONTEXT = 8;

    /** An {@link AsyncExitStack} entered into an asynchronous one. */
    static final int ASYNC_STACK = 9;

    /** {@link AsyncExitCallback#onExitAsync(Throwable)}. */
    static final int ASYNC_PUSH = 10;

    /** A supplier of the stage of an asynchronous cleanup. */
    static final int ASYNC_CALLBACK = 11;

    /** An entry wrapped with what it is reported to the listener as. */
    static final int TRACKED = 15;

    /** Entries 0 to 7 live in fields, the rest in {@link #more}. */
    private static final int INLINE = 8;

    /** Kinds of entries 0 to 15 are packed in {@link #kinds}, the rest in {@link #moreKinds}. */
    private static final int PACKED = 16;

    int size;

    private long kinds;

    private @Nullable Object e0;

    private @Nullable Object e1;

    private @Nullable Object e2;

    private @Nullable Object e3;

    private @Nullable Object e4;

    private @Nullable Object e5;

    private @Nullable Object e6;

    private @Nullable Object e7;

    private @Nullable Object @Nullable [] more;

    private byte @Nullable [] moreKinds;

    /**
     * Whether entries of this kind tell the listener when they are registered and closed:
     * resources and context managers do, callbacks and hooks do not.
     */
    static boolean isResource(int kind) {
        return kind <= STACK || (kind >= ASYNC_CLOSE && kind <= ASYNC_STACK);
    }

    final void push(Object entry, int kind) {
        int index = this.size;
        switch (index) {
            case 0 -> this.e0 = entry;
            case 1 -> this.e1 = entry;
            case 2 -> this.e2 = entry;
            case 3 -> this.e3 = entry;
            case 4 -> this.e4 = entry;
            case 5 -> this.e5 = entry;
            case 6 -> this.e6 = entry;
            case 7 -> this.e7 = entry;
            default -> pushMore(index, entry);
        }
        if (index < PACKED) {
            int shift = index << 2;
            this.kinds = (this.kinds & ~(0xFL << shift)) | ((long) kind << shift);
        }
        else {
            pushMoreKind(index, kind);
        }
        this.size = index + 1;
    }

    final int kindAt(int index) {
        return (index < PACKED) ? (int) (this.kinds >>> (index << 2)) & 0xF : this.moreKinds[index - PACKED];
    }

    /** Removes the entry at {@code index}, which must be the last one, and returns it. */
    final Object take(int index) {
        Object entry;
        switch (index) {
            case 0 -> {
                entry = this.e0;
                this.e0 = null;
            }
            case 1 -> {
                entry = this.e1;
                this.e1 = null;
            }
            case 2 -> {
                entry = this.e2;
                this.e2 = null;
            }
            case 3 -> {
                entry = this.e3;
                this.e3 = null;
            }
            case 4 -> {
                entry = this.e4;
                this.e4 = null;
            }
            case 5 -> {
                entry = this.e5;
                this.e5 = null;
            }
            case 6 -> {
                entry = this.e6;
                this.e6 = null;
            }
            case 7 -> {
                entry = this.e7;
                this.e7 = null;
            }
            default -> {
                Object[] array = this.more;
                entry = array[index - INLINE];
                array[index - INLINE] = null;
            }
        }
        this.size = index;
        return entry;
    }

    /** Moves every entry to {@code target}, which must be empty, in registration order. */
    final void moveAllTo(EntrySlots target) {
        int count = this.size;
        for (int i = 0; i < count; i++) {
            target.push(entryAt(i), kindAt(i));
        }
        this.size = 0;
        this.kinds = 0;
        this.e0 = null;
        this.e1 = null;
        this.e2 = null;
        this.e3 = null;
        this.e4 = null;
        this.e5 = null;
        this.e6 = null;
        this.e7 = null;
        this.more = null;
        this.moreKinds = null;
    }

    private Object entryAt(int index) {
        return switch (index) {
            case 0 -> this.e0;
            case 1 -> this.e1;
            case 2 -> this.e2;
            case 3 -> this.e3;
            case 4 -> this.e4;
            case 5 -> this.e5;
            case 6 -> this.e6;
            case 7 -> this.e7;
            default -> this.more[index - INLINE];
        };
    }

    private void pushMore(int index, Object entry) {
        Object[] array = this.more;
        int slot = index - INLINE;
        if (array == null) {
            array = new Object[8];
            this.more = array;
        }
        else if (slot == array.length) {
            array = Arrays.copyOf(array, array.length << 1);
            this.more = array;
        }
        array[slot] = entry;
    }

    private void pushMoreKind(int index, int kind) {
        byte[] array = this.moreKinds;
        int slot = index - PACKED;
        if (array == null) {
            array = new byte[16];
            this.moreKinds = array;
        }
        else if (slot == array.length) {
            array = Arrays.copyOf(array, array.length << 1);
            this.moreKinds = array;
        }
        array[slot] = (byte) kind;
    }

}
