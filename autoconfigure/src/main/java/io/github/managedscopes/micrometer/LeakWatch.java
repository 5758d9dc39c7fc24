package io.github.managedscopes.micrometer;

/**
 * Watches one open resource for the leak-detection threshold: the metrics' attachment of a
 * resource while detection is on (off, the attachment is its {@link ResourceMeters} alone and
 * nothing is allocated or scheduled).
 */
interface LeakWatch {

    /** The meters of the watched resource. */
    ResourceMeters meters();

    /** The resource was closed: stop watching, and say so if it had been reported. */
    void closed();

    /** The resource will never be closed (its scope was garbage-collected): stop watching quietly. */
    void abandoned();

}
