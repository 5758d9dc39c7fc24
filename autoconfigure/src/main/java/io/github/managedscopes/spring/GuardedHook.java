package io.github.managedscopes.spring;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.ThrowingRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a hook whose failure must not propagate: what it throws is logged once at WARN with
 * its stack trace and reported to the listener as {@link SuppressionReason#HOOK_FAILED}.
 * A {@link VirtualMachineError} is never swallowed. Free of spring-tx, so that scope-bound
 * hooks work without it.
 */
final class GuardedHook {

    /** Hook failures are logged under the name of the public type users configure logging for. */
    private static final Logger logger = LoggerFactory.getLogger("io.github.managedscopes.spring.TransactionHooks");

    private GuardedHook() {
    }

    /**
     * Runs {@code hook}, logging and reporting what it throws.
     * @param hook the hook
     * @param name what the failure is charged to (a bounded metric tag value)
     * @param message the log message, with one {@code {}} for {@code name}
     * @param listener what to report the failure to
     * @throws VirtualMachineError if the hook threw one
     */
    static void run(ThrowingRunnable hook, String name, String message, ExitStackListener listener) {
        try {
            hook.run();
        }
        catch (VirtualMachineError ex) {
            throw ex;
        }
        catch (Throwable ex) {
            failed(name, ex, message, listener);
        }
    }

    /**
     * Logs and reports a failure that cannot propagate.
     */
    static void failed(String name, Throwable failure, String message, ExitStackListener listener) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        logger.warn(message, name, failure);
        report(name, failure, listener);
    }

    /**
     * Reports to the listener as {@link SuppressionReason#HOOK_FAILED}; a listener that throws
     * is logged, so that the other hooks still run.
     */
    static void report(String name, Throwable failure, ExitStackListener listener) {
        try {
            listener.exceptionSuppressed(name, failure, SuppressionReason.HOOK_FAILED);
        }
        catch (RuntimeException ex) {
            logger.warn("The ExitStackListener failed to take the failure of '{}'", name, ex);
        }
    }

}
