package io.github.managedscopes;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Entries registered on an {@link ExitStack} by threads other than its owner, each with the
 * owner's entry count at the time, so that they unwind in registration order relative to the
 * owner's; and entries registered on an {@link AsyncExitStack} while it unwinds. Guarded by
 * the stack's monitor.
 */
final class ForeignEntries {

    private @Nullable Object[] entries = new Object[4];

    private byte[] kinds = new byte[4];

    private int[] positions = new int[4];

    int count;

    /** The kind of the entry {@link #takeLatestAbove} returned. */
    int takenKind;

    void add(Object entry, int kind, int position) {
        if (this.count == this.entries.length) {
            int capacity = this.count << 1;
            this.entries = Arrays.copyOf(this.entries, capacity);
            this.kinds = Arrays.copyOf(this.kinds, capacity);
            this.positions = Arrays.copyOf(this.positions, capacity);
        }
        this.entries[this.count] = entry;
        this.kinds[this.count] = (byte) kind;
        this.positions[this.count] = position;
        this.count++;
    }

    /**
     * Removes and returns the latest entry if it was registered after the owner's first
     * {@code ownerSize} entries, its kind in {@link #takenKind}.
     * @return the entry, or {@code null} if the owner's latest entry comes first
     */
    @Nullable Object takeLatestAbove(int ownerSize) {
        int last = this.count - 1;
        if (last < 0 || this.positions[last] < ownerSize) {
            return null;
        }
        Object entry = this.entries[last];
        this.takenKind = this.kinds[last];
        this.entries[last] = null;
        this.count = last;
        return entry;
    }

}
