package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link ExitStack} reports while it registers and unwinds: the SPI through which
 * metrics, leak detection and the actuator endpoint observe stacks without the core knowing
 * them. It reports stack facts only (registered, closed, suppressed, late registration), one
 * call per fact; the facts of the scopes a stack belongs to (opened, ended and how) are the
 * Spring layer's own listener, {@code io.github.managedscopes.spring.ScopeListener}. Every method has a no-op default, and {@link #NONE} costs nothing: a stack built
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

}
