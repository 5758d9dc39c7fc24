package io.github.managedscopes.spring;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * The hold a streaming response's producer keeps on its request scope: a lease taken when
 * the producer starts (an emitter's) or is handed to an executor as a task of its own (a
 * {@code StreamingResponseBody}'s), and let go of once, when the producer stops. A task that
 * has not begun when the request fails is dropped instead: Spring cancels it, so it would
 * never write, and it may no longer run.
 */
final class ProducerHold {

    private static final AtomicReferenceFieldUpdater<ProducerHold, @Nullable Lease> LEASE = AtomicReferenceFieldUpdater
        .newUpdater(ProducerHold.class, Lease.class, "lease");

    private static final AtomicIntegerFieldUpdater<ProducerHold> TASK = AtomicIntegerFieldUpdater
        .newUpdater(ProducerHold.class, "task");

    /** The producer's task waits for a thread. */
    private static final int QUEUED = 1;

    private static final int RUNNING = 2;

    /** The request failed while the task waited. */
    private static final int DROPPED = 3;

    private volatile @Nullable Lease lease;

    private volatile int task;

    /** The producer starts: {@code scope} stays open for it, unless it has already ended. */
    void take(ActiveScope scope) {
        if (this.lease == null && !scope.hasEnded()) {
            this.lease = scope.lease();
        }
    }

    /** The producer is handed to an executor as a task of its own. */
    void queue(ActiveScope scope) {
        take(scope);
        this.task = QUEUED;
    }

    /**
     * The queued task begins.
     * @return whether it may run: {@code false} once it was dropped
     */
    boolean runs() {
        return TASK.compareAndSet(this, QUEUED, RUNNING) || this.task != DROPPED;
    }

    /**
     * The request failed: a task that has not begun will not run.
     * @return whether a waiting task was dropped (its hold must go)
     */
    boolean dropQueued() {
        return TASK.compareAndSet(this, QUEUED, DROPPED);
    }

    /** Lets go of the hold, once. */
    void release() {
        Lease taken = LEASE.getAndSet(this, null);
        if (taken != null) {
            taken.close();
        }
    }

}
