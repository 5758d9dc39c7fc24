package io.github.managedscopes.spring;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import org.jspecify.annotations.Nullable;

/**
 * Reports to several listeners, in order: every listener hears every event, even when one
 * before it throws (the first failure is rethrown at the end, later ones attached to it), and
 * each gets back exactly the token it handed out. Built with {@link #of}, which keeps
 * {@link ExitStackListener#NONE} for no listener and a single listener as it is, or with
 * {@link #forScope} for the listeners of one scope, where the end of the scope reaches those
 * that are {@link OpenScopeListener}s.
 */
public final class CompositeExitStackListener implements OpenScopeListener {

    private final ExitStackListener[] listeners;

    private CompositeExitStackListener(ExitStackListener[] listeners) {
        this.listeners = listeners;
    }

    /**
     * Combines listeners into one.
     * @param listeners the listeners, in the order they hear events
     * @return {@link ExitStackListener#NONE} if there are none (or only {@code NONE}), the
     * listener itself if there is one, a composite otherwise
     */
    public static ExitStackListener of(List<? extends ExitStackListener> listeners) {
        Objects.requireNonNull(listeners, "'listeners' must not be null");
        // Called for every scope that has several listeners: a loop, not a stream.
        ExitStackListener[] real = new ExitStackListener[listeners.size()];
        int count = 0;
        for (ExitStackListener listener : listeners) {
            Objects.requireNonNull(listener, "'listeners' must not contain null");
            if (listener != ExitStackListener.NONE && listener != OpenScopeListener.NONE) {
                real[count++] = listener;
            }
        }
        return switch (count) {
            case 0 -> ExitStackListener.NONE;
            case 1 -> real[0];
            default -> new CompositeExitStackListener((count == real.length) ? real : Arrays.copyOf(real, count));
        };
    }

    /**
     * Combines the listeners of one scope into one.
     * @param listeners the listeners, in the order they hear events
     * @return {@link OpenScopeListener#NONE} if there are none, the listener itself if there is
     * one and it is an {@link OpenScopeListener}, a composite otherwise
     */
    public static OpenScopeListener forScope(List<? extends ExitStackListener> listeners) {
        ExitStackListener combined = of(listeners);
        if (combined == ExitStackListener.NONE) {
            return OpenScopeListener.NONE;
        }
        if (combined instanceof OpenScopeListener scope) {
            return scope;
        }
        return new CompositeExitStackListener(new ExitStackListener[] { combined });
    }

    @Override
    public @Nullable Object resourceRegistered(String name) {
        ExitStackListener[] all = this.listeners;
        @Nullable Object[] tokens = new Object[all.length];
        for (int i = 0; i < all.length; i++) {
            try {
                tokens[i] = all[i].resourceRegistered(name);
            }
            catch (Throwable ex) {
                // The stack closes the resource and rethrows: those that counted it see it close.
                for (int j = 0; j < i; j++) {
                    try {
                        all[j].resourceClosed(name, tokens[j], ex);
                    }
                    catch (Throwable closeFailure) {
                        ex.addSuppressed(closeFailure);
                    }
                }
                throw ex;
            }
        }
        return tokens;
    }

    @Override
    public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
        Object[] tokens = (Object[]) token;
        Throwable thrown = null;
        for (int i = 0; i < this.listeners.length; i++) {
            try {
                this.listeners[i].resourceClosed(name, (tokens != null) ? tokens[i] : null, failure);
            }
            catch (Throwable ex) {
                thrown = add(thrown, ex);
            }
        }
        rethrow(thrown);
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        tellEach((listener) -> listener.exceptionSuppressed(name, exception, reason));
    }

    @Override
    public void lateRegistration(String name) {
        tellEach((listener) -> listener.lateRegistration(name));
    }

    @Override
    public void scopeEscaped() {
        tellEach((listener) -> {
            if (listener instanceof OpenScopeListener scope) {
                scope.scopeEscaped();
            }
        });
    }

    @Override
    public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
        tellEach((listener) -> {
            if (listener instanceof OpenScopeListener scope) {
                scope.scopeEnded(kind, durationNanos, failed, ending);
            }
        });
    }

    private void tellEach(Consumer<ExitStackListener> event) {
        Throwable thrown = null;
        for (ExitStackListener listener : this.listeners) {
            try {
                event.accept(listener);
            }
            catch (Throwable ex) {
                thrown = add(thrown, ex);
            }
        }
        rethrow(thrown);
    }

    private static Throwable add(@Nullable Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    private static void rethrow(@Nullable Throwable thrown) {
        if (thrown != null) {
            throw Rethrow.asIs(thrown);
        }
    }


    @Override
    public String toString() {
        return "CompositeExitStackListener" + List.of(this.listeners);
    }

}
