package io.github.managedscopes.spring.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.AsyncCloseable;
import io.github.managedscopes.AsyncExitStack;
import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * What happened during a reactive test, in order, across threads: closes of probes and what
 * the exits of each exchange's stack saw in flight.
 */
final class ReactiveJournal {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final List<Throwable> exitFailures = new CopyOnWriteArrayList<>();

    void add(String event) {
        this.events.add(event);
    }

    List<String> events() {
        return List.copyOf(this.events);
    }

    List<String> eventsStartingWith(String prefix) {
        List<String> matching = new ArrayList<>();
        for (String event : this.events) {
            if (event.startsWith(prefix)) {
                matching.add(event);
            }
        }
        return matching;
    }

    /** Registers an exit that writes what it saw in flight, then probes closing in order. */
    void watch(AsyncExitStack stack, String... probes) {
        stack.push((failure) -> {
            if (failure != null) {
                this.exitFailures.add(failure);
            }
            add("exit saw " + ((failure != null) ? failure.getClass().getSimpleName() : "nothing"));
            return false;
        });
        for (String probe : probes) {
            stack.registerAsync(probe(probe));
        }
    }

    AsyncCloseable probe(String name) {
        return () -> {
            add("closed " + name);
            return CompletableFuture.completedFuture(null);
        };
    }

    AsyncCloseable blockingProbe(String name, CompletionStage<?> release) {
        return () -> {
            add("closing " + name);
            return release.thenRun(() -> add("closed " + name));
        };
    }

    @Nullable Throwable lastExitFailure() {
        return this.exitFailures.isEmpty() ? null : this.exitFailures.get(this.exitFailures.size() - 1);
    }

    void awaitEvent(String event) {
        await("'" + event + "' among " + this.events).atMost(Duration.ofSeconds(10))
            .until(() -> this.events.contains(event));
    }

    void clear() {
        this.events.clear();
        this.exitFailures.clear();
    }

}
