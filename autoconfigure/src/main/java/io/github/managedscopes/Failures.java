package io.github.managedscopes;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * How the core hands failures on: attaching one to another, unwrapping what a stage completed
 * with, and propagating the outcome of an unwind from {@link ExitStack#close()}.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Adds {@code later} to {@code inFlight} as suppressed (never to itself).
     * @return the failure in flight afterwards: {@code inFlight}, or {@code later} if none was
     */
    static Throwable attach(@Nullable Throwable inFlight, Throwable later) {
        if (inFlight == null) {
            return later;
        }
        if (later != inFlight) {
            inFlight.addSuppressed(later);
        }
        return inFlight;
    }

    /**
     * What a stage really failed with: the cause of the {@link CompletionException}s and
     * {@link ExecutionException}s that wrap it.
     */
    static Throwable unwrap(Throwable failure) {
        Throwable unwrapped = failure;
        while ((unwrapped instanceof CompletionException || unwrapped instanceof ExecutionException)
                && unwrapped.getCause() != null) {
            unwrapped = unwrapped.getCause();
        }
        return unwrapped;
    }

    /**
     * Throws the outcome of an unwind that had nothing in flight, as {@link ExitStack#close()}
     * does: runtime exceptions and errors as they are, a checked exception wrapped in an
     * {@link UnwindException} (setting the interrupt flag again for an InterruptedException).
     */
    static RuntimeException propagate(Throwable outcome) {
        if (outcome instanceof RuntimeException runtimeException) {
            throw runtimeException;
        }
        if (outcome instanceof Error error) {
            throw error;
        }
        if (outcome instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        throw new UnwindException(outcome);
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }

}
