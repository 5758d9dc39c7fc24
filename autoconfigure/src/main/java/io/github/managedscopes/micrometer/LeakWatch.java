package io.github.managedscopes.micrometer;

/**
 * Watches one open resource for the leak-detection threshold. With detection off every
 * resource shares {@link #NONE}: nothing is allocated or scheduled.
 */
interface LeakWatch {

    /** The watch of every resource while leak detection is off. */
    LeakWatch NONE = new LeakWatch() {

        @Override
        public void closed() {
        }

        @Override
        public void abandoned() {
        }

    };

    /** The resource was closed: stop watching, and say so if it had been reported. */
    void closed();

    /** The resource will never be closed (its scope was garbage-collected): stop watching quietly. */
    void abandoned();

}
