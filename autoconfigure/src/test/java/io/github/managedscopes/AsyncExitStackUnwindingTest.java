package io.github.managedscopes;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Rules A1, A2, A5 and A6 of {@code docs/unwinding.md}: an {@link AsyncExitStack} awaits each
 * entry in reverse order, one at a time, fails an entry with what its stage failed with, loops
 * instead of recursing, and bounds closes with its time-out.
 */
class AsyncExitStackUnwindingTest {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopExecutor() {
        this.executor.shutdownNow();
    }

    @Test
    void closesSyncAndAsyncEntriesInReverseOrderOneAtATime() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.register(() -> this.events.add("sync 1"));
        CompletableFuture<Void> slow = new CompletableFuture<>();
        stack.registerAsync(() -> {
            this.events.add("async 2 started");
            return slow;
        });
        stack.callbackAsync(() -> {
            this.events.add("async 3");
            return CompletableFuture.completedFuture(null);
        });

        CompletableFuture<Void> closed = stack.closeAsync().toCompletableFuture();

        assertThat(this.events).containsExactly("async 3", "async 2 started");
        assertThat(closed).isNotDone();
        this.executor.submit(() -> slow.complete(null)).get();
        closed.get(10, TimeUnit.SECONDS);
        assertThat(this.events).containsExactly("async 3", "async 2 started", "sync 1");
    }

    @Test
    void failsAnEntryWithWhatItsStageFailedWithUnwrapped() {
        AsyncExitStack stack = new AsyncExitStack();
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        stack.registerAsync(() -> CompletableFuture.failedFuture(first));
        stack.registerAsync(() -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("from another thread");
        }, this.executor));
        stack.registerAsync(() -> CompletableFuture.failedFuture(second));

        Throwable thrown = catchThrowable(() -> stack.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS));

        assertThat(thrown.getCause()).isSameAs(second);
        assertThat(second.getSuppressed()).hasSize(2);
        assertThat(second.getSuppressed()[0]).isInstanceOf(IllegalStateException.class)
            .hasMessage("from another thread");
        assertThat(second.getSuppressed()[1]).isSameAs(first);
    }

    @Test
    void unwindsAMillionCompletedStagesWithoutDeepStacks() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        int[] closed = { 0 };
        CompletionStage<Void> done = CompletableFuture.completedFuture(null);
        for (int i = 0; i < 1_000_000; i++) {
            stack.registerAsync(() -> {
                closed[0]++;
                return done;
            });
        }
        stack.closeAsync().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(closed[0]).isEqualTo(1_000_000);
    }

    @Test
    void unwindsAHundredThousandStagesCompletedOnOtherThreads() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100_000; i++) {
            int index = i;
            stack.registerAsync(() -> CompletableFuture.runAsync(() -> order.add(index), this.executor));
        }
        stack.closeAsync().toCompletableFuture().get(120, TimeUnit.SECONDS);
        assertThat(order).hasSize(100_000);
        assertThat(order.get(0)).isEqualTo(99_999);
        assertThat(order.get(99_999)).isZero();
    }

    @Test
    void timesOutAHungCloseNamingItAndGoesOnAtOnce() throws Exception {
        AsyncExitStack stack = AsyncExitStack.withCloseTimeout(Duration.ofMillis(50));
        stack.callback(() -> this.events.add("outer closed"));
        CompletableFuture<Void> hung = new CompletableFuture<>();
        stack.registerAsync(new HungResource(hung));

        Throwable thrown = catchThrowable(() -> stack.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS));

        assertThat(thrown.getCause()).isInstanceOf(TimeoutException.class)
            .hasMessageContaining("HungResource")
            .hasMessageContaining("PT0.05S");
        assertThat(this.events).containsExactly("outer closed");
        IOException late = new IOException("late");
        hung.completeExceptionally(late);
        assertThat(thrown.getCause().getSuppressed()).containsExactly(late);
    }

    private static final class HungResource implements AsyncCloseable {

        private final CompletableFuture<Void> stage;

        HungResource(CompletableFuture<Void> stage) {
            this.stage = stage;
        }

        @Override
        public CompletionStage<?> closeAsync() {
            return this.stage;
        }

    }

}
