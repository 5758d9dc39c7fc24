package io.github.managedscopes.spring;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the outcome of a scope's unwind where nothing can take a failure any more (the
 * response is complete, the subscriber has gone): a new failure once at ERROR, and each close
 * failure attached to the failure in flight once at WARN. The listeners counted them as they
 * happened.
 */
final class UnwindLog {

    private static final Logger logger = LoggerFactory.getLogger(UnwindLog.class);

    private UnwindLog() {
    }

    /**
     * Logs an unwind's outcome.
     * @param scope the scope, as named in messages
     * @param failure the failure the scope ended with, or {@code null}
     * @param attachedBefore how many exceptions {@code failure} carried as suppressed before the unwind
     * @param newFailure what the unwind threw, or {@code null}
     */
    static void outcome(Object scope, @Nullable Throwable failure, int attachedBefore,
            @Nullable Throwable newFailure) {
        if (newFailure != null) {
            if (newFailure instanceof InterruptedException) {
                // Logged, it propagates no further: keep the interruption visible.
                Thread.currentThread().interrupt();
            }
            logger.error("Closing the resources of {} failed", scope, newFailure);
            return;
        }
        if (failure != null) {
            Throwable[] suppressed = failure.getSuppressed();
            for (int i = attachedBefore; i < suppressed.length; i++) {
                logger.warn("A resource of {} failed to close while it ended with {}", scope, failure, suppressed[i]);
            }
        }
    }

}
