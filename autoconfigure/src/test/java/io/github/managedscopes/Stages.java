package io.github.managedscopes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test support for the asynchronous core: stages completed at once or later on a thread of
 * its own ({@code "completer-N"}), and the outcome of a stage read without unwrapping it.
 * Registered as an extension on a test instance's field, it stops its threads after each test.
 */
final class Stages implements AutoCloseable, AfterEachCallback {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService completer = Executors.newFixedThreadPool(2, (task) -> {
        Thread thread = new Thread(task, "completer-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /** A stage completed with {@code value} later, on a completer thread. */
    <T> CompletableFuture<T> later(@Nullable T value) {
        return CompletableFuture.supplyAsync(() -> value, this.completer);
    }

    /** A stage failed with exactly {@code failure} later, on a completer thread. */
    <T> CompletableFuture<T> failingLater(Throwable failure) {
        CompletableFuture<T> stage = new CompletableFuture<>();
        this.completer.execute(() -> stage.completeExceptionally(failure));
        return stage;
    }

    /** Runs {@code action} on a completer thread. */
    void onCompleter(Runnable action) {
        this.completer.execute(action);
    }

    /**
     * Waits for a stage and returns how it ended.
     * @return its value, or what it failed with as the stage holds it (not unwrapped)
     */
    static Outcome outcome(CompletionStage<?> stage) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> outcome.complete(new Outcome(value, failure)));
        return outcome.get(30, TimeUnit.SECONDS);
    }

    /** What a stage ended with: a value, or a failure. */
    record Outcome(@Nullable Object value, @Nullable Throwable failure) {
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        this.completer.shutdownNow();
    }

}
