package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link ExitStack} reports while it registers and unwinds: the SPI through which
 * metrics, leak detection and the actuator endpoint observe stacks without the core knowing
 * them. Every method has a no-op default, and {@link #NONE} costs nothing: a stack built
 * without a listener neither wraps its entries nor calls back.
 * <p>
 * Implementations are called on the registering or unwinding thread, must be thread-safe
 * and should not throw: what one throws is treated as a failure of the entry being reported,
 * so no entry is skipped and nothing is lost.
 */
public interface ExitStackListener {

    /** The listener that listens to nothing. */
    ExitStackListener NONE = new ExitStackListener() {
    };

    /**
     * A resource was registered on a stack.
     * @param name the resource's name (a metric tag value)
     * @return a token handed back to {@link #resourceClosed}, or {@code null}
     */
    default @Nullable Object resourceRegistered(String name) {
        return null;
    }

    /**
     * A registered resource left its stack: it was closed or exited, or its callback ran or
     * was skipped.
     * @param name the resource's name
     * @param token what {@link #resourceRegistered} returned for it
     * @param failure what its close or exit threw, or {@code null}
     */
    default void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
    }

    /**
     * An exception did not propagate as the primary failure: it was swallowed, or added to
     * another one as suppressed.
     * @param name the name of the resource or hook it is charged to
     * @param exception the exception
     * @param reason why it did not propagate
     */
    default void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
    }

    /**
     * Something was registered on a stack whose scope had already ended: it was refused and
     * closed at once.
     * @param name the refused resource's name
     */
    default void lateRegistration(String name) {
    }

    /**
     * A scope opened: a request touched its stack, a {@code @ManagedScope} method started, or
     * a programmatic scope began.
     * @param kind the kind of scope ({@code request}, {@code method}, {@code programmatic})
     */
    default void scopeOpened(String kind) {
    }

    /**
     * A scope opened, and its stack is about to be created: returns the listener that the
     * scope's stack and the scope itself report to from now on, {@link #scopeClosed} included.
     * A listener that keeps per-scope state (the open resources of each scope, to report a
     * scope that is never unwound) returns a listener of its own for the scope; the default
     * reports {@link #scopeOpened} and returns this listener, so that listeners without
     * per-scope state cost nothing per scope.
     * @param kind the kind of scope ({@code request}, {@code method}, {@code programmatic})
     * @return the listener for this scope, never {@code null}
     */
    default ExitStackListener openScope(String kind) {
        scopeOpened(kind);
        return this;
    }

    /**
     * A scope ended and its stack was unwound.
     * @param kind the kind of scope
     * @param durationNanos how long it was open
     * @param failed whether it ended with a failure in flight
     */
    default void scopeClosed(String kind, long durationNanos, boolean failed) {
    }

}
