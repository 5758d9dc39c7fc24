package io.github.managedscopes.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

import io.github.managedscopes.AsyncCloseable;

/**
 * An asynchronous resource whose close is done by another thread, as a close that waits on
 * I/O is: it takes an uncontended permit when opened, and {@link #closeAsync()} hands giving
 * it back to an executor, which then completes the returned stage. A permit rather than
 * {@link LockHolder}'s {@code ReentrantLock}: the next close runs on the thread that
 * completed this one's stage (rule A7), and a {@code ReentrantLock} can only be released by
 * the thread that took it.
 */
final class HandOffHolder implements AsyncCloseable {

    private final Semaphore permits;

    private final Executor closer;

    HandOffHolder(Semaphore permits, Executor closer) {
        permits.acquireUninterruptibly();
        this.permits = permits;
        this.closer = closer;
    }

    @Override
    public CompletionStage<?> closeAsync() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        this.closer.execute(() -> {
            this.permits.release();
            closed.complete(null);
        });
        return closed;
    }

}
