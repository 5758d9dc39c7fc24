package io.github.managedscopes.spring;

/**
 * Rethrows a throwable as it is, checked or not, where a signature cannot declare it.
 */
final class Rethrow {

    private Rethrow() {
    }

    /**
     * Throws {@code failure} unchanged; declared to return so callers can write
     * {@code throw Rethrow.asIs(failure)}.
     */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E asIs(Throwable failure) throws E {
        throw (E) failure;
    }

}
