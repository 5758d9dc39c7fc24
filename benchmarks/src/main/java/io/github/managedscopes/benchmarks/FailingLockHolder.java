package io.github.managedscopes.benchmarks;

import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A {@link LockHolder} whose close releases the lock and then throws a given, preallocated
 * failure, if it has one.
 */
final class FailingLockHolder implements AutoCloseable {

    private final ReentrantLock lock;

    private final @Nullable RuntimeException failure;

    FailingLockHolder(ReentrantLock lock, @Nullable RuntimeException failure) {
        lock.lock();
        this.lock = lock;
        this.failure = failure;
    }

    @Override
    public void close() {
        this.lock.unlock();
        if (this.failure != null) {
            throw this.failure;
        }
    }

}
