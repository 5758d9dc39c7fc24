package io.github.managedscopes.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import org.jspecify.annotations.Nullable;

/**
 * Records what stacks report.
 */
final class RecordingListener implements ExitStackListener {

    final List<String> registered = new CopyOnWriteArrayList<>();

    final List<String> suppressed = new CopyOnWriteArrayList<>();

    @Override
    public @Nullable Object resourceRegistered(String name) {
        this.registered.add(name);
        return null;
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        this.suppressed.add(name + " " + exception.getClass().getSimpleName() + " " + reason.tagValue());
    }

}
