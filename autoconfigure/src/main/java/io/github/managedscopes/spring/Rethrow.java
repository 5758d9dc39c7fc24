package io.github.managedscopes.spring;

import io.github.managedscopes.UnwindException;

/**
 * How the Spring layer propagates what an unwind threw: as it is where a signature cannot
 * declare it ({@link #asIs}), or unchecked ({@link #unchecked}), as {@code ExitStack.close()}
 * does.
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

    /**
     * Throws {@code failure} unchanged if it is unchecked; returns it wrapped in an
     * {@link UnwindException} otherwise, setting the interrupt flag again if it is an
     * {@link InterruptedException} (wrapped, it no longer propagates as itself). Declared to
     * return so callers can write {@code throw Rethrow.unchecked(failure)}.
     */
    static UnwindException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new UnwindException(failure);
    }

}
