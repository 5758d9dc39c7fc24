package io.github.managedscopes.benchmarks;

import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * The naive reference stack: an {@link ArrayDeque} holding one wrapper object per entry,
 * unwound last-in first-out with the semantics of nested try-with-resources blocks. Not
 * thread-safe.
 */
final class NaiveStack implements AutoCloseable {

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    <R extends AutoCloseable> R register(R resource) {
        this.entries.addLast(new Entry(resource));
        return resource;
    }

    @Override
    public void close() {
        @Nullable Throwable pending = null;
        for (@Nullable Entry entry = this.entries.pollLast(); entry != null; entry = this.entries.pollLast()) {
            pending = Entry.close(entry, pending);
        }
        Entry.rethrow(pending);
    }

    /**
     * The wrapper each registration allocates, as a stack of callbacks would.
     */
    record Entry(AutoCloseable resource) {

        /** Closes the entry's resource and returns the failure in flight afterwards. */
        static @Nullable Throwable close(Entry entry, @Nullable Throwable pending) {
            try {
                entry.resource.close();
            }
            catch (Throwable ex) {
                if (pending == null) {
                    return ex;
                }
                if (ex != pending) {
                    pending.addSuppressed(ex);
                }
            }
            return pending;
        }

        static void rethrow(@Nullable Throwable failure) {
            if (failure == null) {
                return;
            }
            if (failure instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failure);
        }

    }

}
