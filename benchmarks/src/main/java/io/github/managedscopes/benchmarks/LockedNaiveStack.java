package io.github.managedscopes.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The naively thread-safe reference stack: {@link NaiveStack} with every access to the deque
 * (each registration and each entry taken at unwind) guarded by a {@link ReentrantLock} of
 * its own, so the owning thread pays an atomic operation per registration.
 */
final class LockedNaiveStack implements AutoCloseable {

    private final ReentrantLock guard = new ReentrantLock();

    private final ArrayDeque<NaiveStack.Entry> entries = new ArrayDeque<>();

    <R extends AutoCloseable> R register(R resource) {
        this.guard.lock();
        try {
            this.entries.addLast(new NaiveStack.Entry(resource));
        }
        finally {
            this.guard.unlock();
        }
        return resource;
    }

    @Override
    public void close() {
        @Nullable Throwable pending = null;
        for (NaiveStack.@Nullable Entry entry = poll(); entry != null; entry = poll()) {
            pending = NaiveStack.Entry.close(entry, pending);
        }
        NaiveStack.Entry.rethrow(pending);
    }

    private NaiveStack.@Nullable Entry poll() {
        this.guard.lock();
        try {
            return this.entries.pollLast();
        }
        finally {
            this.guard.unlock();
        }
    }

}
