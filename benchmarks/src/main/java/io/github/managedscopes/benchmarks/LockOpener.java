package io.github.managedscopes.benchmarks;

/**
 * What {@link ManagedResourceBenchmark} calls through a proxy: a JDK proxy implements this
 * interface, a CGLIB proxy subclasses {@link AnnotatedLockOpener}.
 */
interface LockOpener {

    /**
     * Opens a {@link LockHolder}.
     * @return the holder, which someone must close
     */
    LockHolder open();

    /**
     * A method without {@code @ManagedResource}: no advice applies to it.
     * @param value a number
     * @return {@code value} plus a constant
     */
    long add(long value);

}
