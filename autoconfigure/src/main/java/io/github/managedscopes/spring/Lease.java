package io.github.managedscopes.spring;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Keeps a scope open until it is closed: work handed to another thread takes one, and the
 * scope unwinds when its owner has finished and every lease is closed. Closing a lease twice
 * does nothing the second time.
 *
 * @see ManagedScopes#lease()
 */
public final class Lease implements AutoCloseable {

    private static final AtomicIntegerFieldUpdater<Lease> CLOSED = AtomicIntegerFieldUpdater.newUpdater(Lease.class,
            "closed");

    private final ActiveScope scope;

    private volatile int closed;

    Lease(ActiveScope scope) {
        this.scope = scope;
    }

    /**
     * The scope this lease keeps open.
     * @return the scope
     */
    public ActiveScope scope() {
        return this.scope;
    }

    /**
     * Lets go of the scope. If this was the last hold on it, its stack unwinds now, on this
     * thread; a failure of that unwind is thrown from here unless the scope already ended
     * with a failure of its own, to which it is then attached and logged.
     * @throws io.github.managedscopes.UnwindException wrapping a checked close failure
     */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            this.scope.leaseClosed();
        }
    }

}
