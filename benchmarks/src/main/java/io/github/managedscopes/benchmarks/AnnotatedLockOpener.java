package io.github.managedscopes.benchmarks;

import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.spring.ManagedResource;

/**
 * The bean of {@link ManagedResourceBenchmark}: one {@code @ManagedResource} method and one
 * plain method. Not final, so that CGLIB can subclass it.
 */
class AnnotatedLockOpener implements LockOpener {

    private final ReentrantLock lock;

    private final long increment;

    AnnotatedLockOpener(ReentrantLock lock, long increment) {
        this.lock = lock;
        this.increment = increment;
    }

    @Override
    @ManagedResource(name = "lock")
    public LockHolder open() {
        return new LockHolder(this.lock);
    }

    @Override
    public long add(long value) {
        return value + this.increment;
    }

}
