package io.github.managedscopes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Rule A7 of {@code docs/async.md} (rule 11 made asynchronous): registration is
 * safe from many threads while the stack unwinds on others; a registration racing the unwind
 * of a scope's stack lands before its end and is closed by it, or is refused with an
 * {@link IllegalStateException} naming the scope and its resource's close started at once.
 */
class AsyncExitStackThreadingTest {

    private static final int THREADS = 4;

    private static final int PER_THREAD = 400;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    @RegisterExtension
    final Stages stages = new Stages();

    @AfterEach
    void stopThreads() {
        this.executor.shutdownNow();
    }

    @RepeatedTest(10)
    void closesEveryRegistrationRacingTheUnwindOfAScopeExactlyOnceInTheUnwindOrAtOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        AsyncExitStack stack = AsyncExitStack.forScope("the racing scope", listener, null);
        List<Counted> accepted = new CopyOnWriteArrayList<>();
        List<Counted> refused = new CopyOnWriteArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Future<?>> workers = startRegistering(stack, accepted, refused, unexpected);
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= THREADS * 20);

        Stages.Outcome closed = Stages.outcome(stack.closeAsync());
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }

        assertThat(closed.failure()).isNull();
        assertThat(unexpected).isEmpty();
        assertThat(accepted.size() + refused.size()).isEqualTo(THREADS * PER_THREAD);
        assertThat(accepted).allSatisfy((resource) -> assertThat(resource.closes).hasValue(1));
        assertThat(refused).allSatisfy((resource) -> assertThat(resource.closes).hasValue(1));
        assertThat(listener.calls()).filteredOn((call) -> call.startsWith("late ")).hasSize(refused.size());
        assertThat(listener.calls()).filteredOn((call) -> call.startsWith("closed ")).hasSize(accepted.size());
    }

    @RepeatedTest(5)
    void closesEveryRegistrationRacingTheUnwindOfAPlainStackInThatUnwindOrTheNext() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        List<Counted> accepted = new CopyOnWriteArrayList<>();
        List<Counted> refused = new CopyOnWriteArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Future<?>> workers = startRegistering(stack, accepted, refused, unexpected);
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= THREADS * 20);

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();

        assertThat(unexpected).isEmpty();
        assertThat(refused).isEmpty();
        assertThat(accepted).hasSize(THREADS * PER_THREAD)
            .allSatisfy((resource) -> assertThat(resource.closes).hasValue(1));
        assertThat(stack.size()).isZero();
    }

    @Test
    void refusesAManagerOfferedAfterTheScopeEndedWithoutEnteringIt() throws Exception {
        RecordingListener listener = new RecordingListener();
        AsyncExitStack stack = AsyncExitStack.forScope("the ended scope", listener, null);
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
        AtomicInteger entered = new AtomicInteger();

        assertThatIllegalStateException().isThrownBy(() -> stack.enterAsyncContext(ContextManagers.ofAsync(() -> {
            entered.incrementAndGet();
            return CompletableFuture.completedFuture("value");
        }, (value) -> CompletableFuture.completedFuture(null))))
            .withMessageContaining("the ended scope")
            .withMessageContaining("so it was not entered");
        assertThat(entered).hasValue(0);
    }

    @Test
    void exitsAManagerWhoseEnteringCompletedAfterTheScopeEndedAndFailsTheEnteredStage() throws Exception {
        RecordingListener listener = new RecordingListener();
        AsyncExitStack stack = AsyncExitStack.forScope("the ended scope", listener, null);
        CompletableFuture<String> entering = new CompletableFuture<>();
        AtomicInteger exits = new AtomicInteger();
        CompletionStage<String> entered = stack.enterAsyncContext(ContextManagers.ofAsync(() -> entering, (value) -> {
            exits.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }));
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();

        this.stages.onCompleter(() -> entering.complete("value"));

        assertThat(Stages.outcome(entered).failure()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("the ended scope")
            .hasMessageContaining("closed at once");
        assertThat(exits).hasValue(1);
        assertThat(listener.calls()).anySatisfy((call) -> assertThat(call).startsWith("late contextmanager("));
    }

    private List<Future<?>> startRegistering(AsyncExitStack stack, List<Counted> accepted, List<Counted> refused,
            List<Throwable> unexpected) {
        CountDownLatch startGate = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(this.executor.submit(() -> {
                startGate.await();
                for (int i = 0; i < PER_THREAD; i++) {
                    Counted resource = new Counted(i % 2 == 0);
                    try {
                        if (resource.async) {
                            stack.registerAsync(resource);
                        }
                        else {
                            stack.register(resource);
                        }
                        accepted.add(resource);
                    }
                    catch (IllegalStateException ex) {
                        if (!ex.getMessage().contains("the racing scope")) {
                            unexpected.add(ex);
                        }
                        refused.add(resource);
                    }
                }
                return null;
            }));
        }
        startGate.countDown();
        return workers;
    }

    /** A resource, synchronous or asynchronous (its stage completed on another thread), that counts its closes. */
    private final class Counted implements AsyncCloseable, AutoCloseable {

        final AtomicInteger closes = new AtomicInteger();

        final boolean async;

        Counted(boolean async) {
            this.async = async;
        }

        @Override
        public CompletionStage<?> closeAsync() {
            this.closes.incrementAndGet();
            return AsyncExitStackThreadingTest.this.stages.later(null);
        }

        @Override
        public void close() {
            this.closes.incrementAndGet();
        }

    }

}
