package io.github.managedscopes.benchmarks;

import java.io.Closeable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cheapest real resource: it takes an uncontended lock when opened and releases it when
 * closed. It implements {@link Closeable} so that Guava's {@code Closer} takes it as is,
 * without an adapter the other arms would not pay for.
 */
final class LockHolder implements Closeable {

    private final ReentrantLock lock;

    LockHolder(ReentrantLock lock) {
        lock.lock();
        this.lock = lock;
    }

    @Override
    public void close() {
        this.lock.unlock();
    }

}
