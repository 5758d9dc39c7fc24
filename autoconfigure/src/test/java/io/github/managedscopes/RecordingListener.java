package io.github.managedscopes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Test support: an {@link ExitStackListener} that records every call as a line of text and
 * keeps the suppressed exceptions it was handed.
 */
final class RecordingListener implements ExitStackListener {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    private final List<Throwable> suppressed = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Object resourceRegistered(String name) {
        this.calls.add("registered " + name);
        return "token:" + name;
    }

    @Override
    public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
        this.calls.add("closed " + name + " " + token + ((failure != null) ? " failed " + failure.getMessage() : ""));
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        this.suppressed.add(exception);
        this.calls.add("suppressed " + name + " " + exception.getMessage() + " " + reason);
    }

    @Override
    public void lateRegistration(String name) {
        this.calls.add("late " + name);
    }

    List<String> calls() {
        synchronized (this.calls) {
            return List.copyOf(this.calls);
        }
    }

    List<Throwable> suppressed() {
        synchronized (this.suppressed) {
            return List.copyOf(this.suppressed);
        }
    }

}
