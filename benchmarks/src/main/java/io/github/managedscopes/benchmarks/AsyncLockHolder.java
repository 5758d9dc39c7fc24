package io.github.managedscopes.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.AsyncCloseable;

/**
 * {@link LockHolder} as an asynchronous resource whose close is over at once: it takes an
 * uncontended lock when opened, releases it in {@link #closeAsync()} and returns one shared,
 * already completed stage, so that an asynchronous arm pays only for the awaiting.
 */
final class AsyncLockHolder implements AsyncCloseable {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ReentrantLock lock;

    AsyncLockHolder(ReentrantLock lock) {
        lock.lock();
        this.lock = lock;
    }

    @Override
    public CompletionStage<?> closeAsync() {
        this.lock.unlock();
        return DONE;
    }

}
