package io.github.managedscopes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rules A1 and A7 of {@code docs/async.md}: entries run in reverse registration
 * order, one at a time (a close starts only once the stage of the entry after it has
 * completed), synchronous and asynchronous ones interleaved, each continuation on the thread
 * that completed the previous stage.
 */
class AsyncExitStackOrderTest {

    private final EventLog log = new EventLog();

    @RegisterExtension
    final Stages stages = new Stages();

    @Test
    void startsNoCloseBeforeTheStageOfTheEntryAfterItHasCompleted() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "r" + i;
            CompletableFuture<Void> close = new CompletableFuture<>();
            closes.add(close);
            stack.registerAsync(() -> {
                this.log.add("start " + name);
                return close;
            });
        }

        CompletableFuture<Void> closed = stack.closeAsync().toCompletableFuture();

        assertThat(this.log.events()).containsExactly("start r2");
        for (int i = 2; i > 0; i--) {
            int index = i;
            this.stages.onCompleter(() -> closes.get(index).complete(null));
            await().until(() -> this.log.events().size() == 4 - index);
            assertThat(this.log.events()).as("only the next close started").hasSize(4 - index);
            assertThat(closed).isNotDone();
        }
        assertThat(this.log.events()).containsExactly("start r2", "start r1", "start r0");
        this.stages.onCompleter(() -> closes.get(0).complete(null));
        assertThat(Stages.outcome(closed).failure()).isNull();
    }

    @Test
    void neverHasTwoClosesInFlightWhenStagesCompleteLaterOnOtherThreads() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 200; i++) {
            int index = i;
            stack.registerAsync(() -> {
                if (inFlight.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                order.add(index);
                CompletableFuture<Void> close = new CompletableFuture<>();
                this.stages.onCompleter(() -> {
                    inFlight.decrementAndGet();
                    close.complete(null);
                });
                return close;
            });
        }

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();

        assertThat(overlaps).hasValue(0);
        assertThat(order).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(order.get(i)).isEqualTo(199 - i);
        }
    }

    @Test
    void interleavesSyncAndAsyncEntriesInRegistrationOrder() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.register(this.log.resource("sync 0"));
        stack.callbackAsync(() -> this.stages.later(null).thenRun(() -> this.log.add("close async 1")));
        stack.callback(this.log.action("sync 2"));
        stack.registerAsync(() -> {
            this.log.add("close async 3");
            return CompletableFuture.completedFuture(null);
        });
        stack.push(this.log.exit("sync 4", false));
        stack.pushAsync((failure) -> this.stages.later(false).whenComplete((v, f) -> this.log.add("exit async 5")));

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();

        assertThat(this.log.events()).containsExactly("exit async 5", "exit sync 4(null)", "close async 3",
                "run sync 2", "close async 1", "close sync 0");
    }

    @Test
    void runsEachEntryOnceEvenWhenEarlierOnesFail() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        EventLog.Resource sync = stack.register(this.log.failingResource("sync", new IllegalStateException("s")));
        AtomicInteger asyncCloses = new AtomicInteger();
        stack.registerAsync(() -> {
            asyncCloses.incrementAndGet();
            return this.stages.failingLater(new IllegalStateException("a"));
        });
        stack.registerAsync(() -> {
            throw new IllegalStateException("thrown");
        });

        assertThat(Stages.outcome(stack.closeAsync()).failure()).hasMessage("thrown");

        assertThat(sync.closes()).isOne();
        assertThat(asyncCloses).hasValue(1);
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
        assertThat(sync.closes()).isOne();
    }

    @Test
    void runsTheNextEntriesOnTheThreadThatCompletedTheStage() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        AtomicReference<Thread> asyncRanOn = new AtomicReference<>();
        EventLog.Resource sync = stack.register(this.log.resource("sync"));
        stack.registerAsync(() -> {
            asyncRanOn.set(Thread.currentThread());
            return CompletableFuture.completedFuture(null);
        });
        CompletableFuture<Void> pending = new CompletableFuture<>();
        stack.registerAsync(() -> pending);

        // the stage completes only after the unwind has found it pending and returned
        CompletionStage<Void> closed = stack.closeAsync();
        Thread completer = new Thread(() -> pending.complete(null), "completer-of-the-pending-stage");
        completer.start();
        completer.join();

        assertThat(Stages.outcome(closed).failure()).isNull();

        assertThat(asyncRanOn.get().getName()).startsWith("completer-");
        assertThat(sync.closedOn()).isSameAs(asyncRanOn.get());
    }

    @Test
    void runsEveryEntryOnTheCallersThreadWhenEveryStageIsAlreadyComplete() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        EventLog.Resource sync = stack.register(this.log.resource("sync"));
        AtomicReference<Thread> asyncRanOn = new AtomicReference<>();
        stack.registerAsync(() -> {
            asyncRanOn.set(Thread.currentThread());
            return CompletableFuture.completedFuture(null);
        });

        CompletableFuture<Void> closed = stack.closeAsync().toCompletableFuture();

        assertThat(closed).isCompleted();
        assertThat(asyncRanOn.get()).isSameAs(Thread.currentThread());
        assertThat(sync.closedOn()).isSameAs(Thread.currentThread());
    }

}
