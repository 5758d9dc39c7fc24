package io.github.managedscopes.spring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;

/**
 * The registry's lists of what is open (the active scopes, the resources of each), without a
 * lock on the adding and closing paths: a record is pushed with one compare-and-set and marked
 * closed with a release store. Readers skip closed records; once as many records were pushed
 * as the list held after the last pruning (at least {@value #MIN_PRUNE_INTERVAL}), the pushing
 * thread drops the closed ones, so that a long-lived list holds at most about as many closed
 * records as open ones, plus that interval. Pruning is guarded by this object; it only
 * rewrites the links of records behind the head, which pushes never touch.
 *
 * @param <R> the type of record
 */
final class OpenRecords<R extends OpenRecords.Record<R>> {

    private static final int MIN_PRUNE_INTERVAL = 64;

    private static final VarHandle HEAD;

    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(OpenRecords.class, "head", Record.class);
            CLOSED = lookup.findVarHandle(Record.class, "closed", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile @Nullable R head;

    /** Records pushed since the last pruning; racy increments only delay it. */
    private int pushed;

    /** How many pushes start the next pruning. */
    private int pruneAfter = MIN_PRUNE_INTERVAL;

    void add(R record) {
        R first;
        do {
            first = this.head;
            record.next = first;
        }
        while (!HEAD.compareAndSet(this, first, record));
        if (++this.pushed >= this.pruneAfter) {
            prune();
        }
    }

    void close(R record) {
        // A release store, not a volatile one: readers may see it a little late, and skip it then.
        CLOSED.setRelease(record, true);
    }

    /** The newest record, open or closed: the start of the list. */
    @Nullable R head() {
        return this.head;
    }

    /** The open records, newest first. */
    List<R> open() {
        List<R> open = new ArrayList<>();
        for (R record = this.head; record != null; record = record.next) {
            if (!record.closed) {
                open.add(record);
            }
        }
        return open;
    }

    /**
     * Sums {@code value} over the open records, without copying them.
     * @param value what each open record counts for
     * @return the sum
     */
    int sum(ToIntFunction<? super R> value) {
        int sum = 0;
        for (R record = this.head; record != null; record = record.next) {
            if (!record.closed) {
                sum += value.applyAsInt(record);
            }
        }
        return sum;
    }

    /** Empties the list. */
    synchronized void clear() {
        this.head = null;
    }

    /** Drops closed records: those behind the head by relinking, the head by a compare-and-set. */
    private synchronized void prune() {
        if (this.pushed < this.pruneAfter) {
            return;
        }
        R first = this.head;
        int kept = 0;
        if (first != null) {
            R last = first;
            for (R record = first.next; record != null; record = record.next) {
                if (record.closed) {
                    last.next = record.next;
                }
                else {
                    last = record;
                    kept++;
                }
            }
            if (first.closed) {
                HEAD.compareAndSet(this, first, first.next);
            }
            else {
                kept++;
            }
        }
        this.pushed = 0;
        this.pruneAfter = Math.max(MIN_PRUNE_INTERVAL, kept);
    }

    /**
     * What an {@link OpenRecords} list links.
     *
     * @param <R> the type of record
     */
    abstract static class Record<R extends Record<R>> {

        /** The record pushed before it; see {@link OpenRecords}. */
        @Nullable R next;

        /** Whether it has closed: its list skips it, and drops it when it prunes. */
        volatile boolean closed;

    }

}
