package io.github.managedscopes.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * What happened during a test, in order, across threads.
 */
final class Journal {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final List<@Nullable Throwable> exitFailures = Collections.synchronizedList(new ArrayList<>());

    void add(String event) {
        this.events.add(event);
    }

    List<String> events() {
        return List.copyOf(this.events);
    }

    void exitSaw(@Nullable Throwable failure) {
        this.exitFailures.add(failure);
        add("exit saw " + ((failure != null) ? failure.getClass().getSimpleName() : "nothing"));
    }

    List<@Nullable Throwable> exitFailures() {
        synchronized (this.exitFailures) {
            return new ArrayList<>(this.exitFailures);
        }
    }

    void awaitEvent(String event) {
        await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains(event));
    }

    void clear() {
        this.events.clear();
        this.exitFailures.clear();
    }

}
