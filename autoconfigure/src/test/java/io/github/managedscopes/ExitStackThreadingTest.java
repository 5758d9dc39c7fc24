package io.github.managedscopes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * docs/unwinding.md, rule 11, and the threading model of {@link ExitStack}'s javadoc:
 * concurrent registration, hand-off to another thread, and registrations racing an unwind.
 */
class ExitStackThreadingTest {

    private static final int THREADS = 6;

    private static final int PER_THREAD = 3_000;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    private final EventLog log = new EventLog();

    @AfterEach
    void stopExecutor() throws InterruptedException {
        this.executor.shutdownNow();
        assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "with a listener: {0}")
    @ValueSource(booleans = { false, true })
    void closesEveryEntryRegisteredFromSeveralThreadsAtOnceExactlyOnce(boolean withListener) throws Exception {
        ExitStack stack = withListener ? new ExitStack(new RecordingListener()) : new ExitStack();
        CountDownLatch startGate = new CountDownLatch(1);
        Map<Integer, List<EventLog.Resource>> byThread = new ConcurrentHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(this.executor.submit(() -> {
                startGate.await();
                byThread.put(thread, registerMany(stack, "t" + thread));
                return null;
            }));
        }
        startGate.countDown();
        List<EventLog.Resource> owners = registerMany(stack, "owner");
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        assertThat(stack.size()).isEqualTo((THREADS + 1) * PER_THREAD);

        stack.close();

        byThread.put(-1, owners);
        assertThat(byThread).hasSize(THREADS + 1);
        assertThat(this.log.events()).hasSize((THREADS + 1) * PER_THREAD).doesNotHaveDuplicates();
        byThread.values().forEach((resources) -> {
            assertThat(resources).allSatisfy((resource) -> assertThat(resource.closes()).isOne());
            List<String> expected = resources.stream().map((resource) -> "close " + resource.name()).toList();
            Set<String> mine = Set.copyOf(expected);
            List<String> closed = this.log.events().stream().filter(mine::contains).toList();
            assertThat(closed).as("each thread's entries unwind in reverse order").isEqualTo(reversed(expected));
        });
        assertThat(stack.size()).isZero();
    }

    @Test
    void unwindsEntriesFromAnotherThreadInRegistrationOrderRelativeToTheOwners() throws Exception {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("owner first"));
        this.executor.submit(() -> stack.register(this.log.resource("other"))).get(10, TimeUnit.SECONDS);
        stack.register(this.log.resource("owner last"));

        stack.close();

        assertThat(this.log.events()).containsExactly("close owner last", "close other", "close owner first");
    }

    @Test
    void movesEntriesRegisteredByOtherThreadsWithPopAll() throws Exception {
        ExitStack stack = new ExitStack();
        stack.register(this.log.resource("owner"));
        this.executor.submit(() -> stack.register(this.log.resource("other"))).get(10, TimeUnit.SECONDS);

        ExitStack moved = stack.popAll();

        assertThat(stack.size()).isZero();
        assertThat(moved.size()).isEqualTo(2);
        stack.close();
        assertThat(this.log.events()).isEmpty();
        moved.close();
        assertThat(this.log.events()).containsExactly("close other", "close owner");
    }

    @Test
    void letsAnotherThreadUnwindAfterAHandOffAndThenKeepsWorkingOnTheFirst() throws Exception {
        ExitStack stack = new ExitStack();
        EventLog.Resource first = stack.register(this.log.resource("first"));
        EventLog.Resource second = stack.register(this.log.resource("second"));

        Thread unwinder = this.executor.submit(() -> {
            stack.close();
            return Thread.currentThread();
        }).get(10, TimeUnit.SECONDS);

        assertThat(this.log.events()).containsExactly("close second", "close first");
        assertThat(first.closedOn()).isSameAs(unwinder).isNotSameAs(Thread.currentThread());
        assertThat(second.closedOn()).isSameAs(unwinder);
        EventLog.Resource again = stack.register(this.log.resource("again"));
        stack.close();
        assertThat(again.closes()).isOne();
        assertThat(again.closedOn()).isSameAs(Thread.currentThread());
    }

    @Test
    void losesNeitherTheFailureInFlightNorTheRefusalWhenAnEnteredStackIsBusyOnAnotherThread() throws Exception {
        ExitStack outer = new ExitStack();
        ExitStack inner = new ExitStack();
        CountDownLatch innerUnwinding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        inner.callback(() -> {
            innerUnwinding.countDown();
            release.await();
        });
        outer.enterContext(inner);
        Future<?> otherUnwind = this.executor.submit(() -> {
            inner.close();
            return null;
        });
        assertThat(innerUnwinding.await(10, TimeUnit.SECONDS)).isTrue();
        IllegalArgumentException body = new IllegalArgumentException("body");

        Throwable propagated = catchThrowable(() -> {
            if (!outer.exit(body)) {
                throw body;
            }
        });
        release.countDown();
        otherUnwind.get(10, TimeUnit.SECONDS);

        assertThat(Reachability.from(propagated)).as("rule 3: nothing is lost").contains(body)
            .anySatisfy((failure) -> assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("being unwound"));
    }

    @RepeatedTest(20)
    void closesEveryRegistrationRacingTheUnwindOfAScopeExactlyOnceEitherInTheUnwindOrAtOnce() throws Exception {
        RecordingListener listener = new RecordingListener();
        ExitStack stack = ExitStack.forScope("the racing scope", listener);
        Thread unwinder = Thread.currentThread();
        CountDownLatch startGate = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        List<EventLog.Resource> acceptedResources = new CopyOnWriteArrayList<>();
        List<EventLog.Resource> refusedResources = new CopyOnWriteArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(this.executor.submit(() -> {
                startGate.await();
                for (int i = 0;; i++) {
                    EventLog.Resource resource = this.log.resource("t" + thread + "-" + i);
                    try {
                        stack.register(resource);
                        acceptedResources.add(resource);
                        accepted.incrementAndGet();
                    }
                    catch (IllegalStateException refused) {
                        if (!refused.getMessage().contains("the racing scope")) {
                            unexpected.add(refused);
                        }
                        refusedResources.add(resource);
                        return null;
                    }
                }
            }));
        }
        startGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() >= THREADS * 50);

        stack.close();

        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        assertThat(unexpected).isEmpty();
        assertThat(refusedResources).hasSize(THREADS).allSatisfy((resource) -> {
            assertThat(resource.closes()).isOne();
            assertThat(resource.closedOn()).isNotSameAs(unwinder);
        });
        assertThat(acceptedResources).hasSize(accepted.get()).allSatisfy((resource) -> {
            assertThat(resource.closes()).isOne();
            assertThat(resource.closedOn()).isSameAs(unwinder);
        });
        assertThat(this.log.events()).hasSize(accepted.get() + THREADS);
        assertThat(listener.calls()).filteredOn((call) -> call.startsWith("late ")).hasSize(THREADS);
        assertThat(listener.calls()).filteredOn((call) -> call.startsWith("closed ")).hasSize(accepted.get());
    }

    @RepeatedTest(10)
    void closesEveryRegistrationRacingTheUnwindOfAPlainStackInThatUnwindOrTheNext() throws Exception {
        ExitStack stack = new ExitStack();
        CountDownLatch startGate = new CountDownLatch(1);
        AtomicInteger registered = new AtomicInteger();
        List<Future<List<EventLog.Resource>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(this.executor.submit(() -> {
                startGate.await();
                List<EventLog.Resource> resources = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    resources.add(stack.register(this.log.resource("t" + thread + "-" + i)));
                    registered.incrementAndGet();
                }
                return resources;
            }));
        }
        startGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> registered.get() >= THREADS * 100);
        stack.close();
        List<EventLog.Resource> all = new ArrayList<>();
        for (Future<List<EventLog.Resource>> worker : workers) {
            all.addAll(worker.get(30, TimeUnit.SECONDS));
        }

        stack.close();

        assertThat(all).hasSize(THREADS * 2_000).allSatisfy((resource) -> assertThat(resource.closes()).isOne());
        assertThat(stack.size()).isZero();
    }

    @RepeatedTest(10)
    void unwindsOnceWhenTwoThreadsCloseTheSameStackAtOnce() throws Exception {
        ExitStack stack = new ExitStack();
        List<EventLog.Resource> resources = registerMany(stack, "r");
        CountDownLatch startGate = new CountDownLatch(1);
        List<Future<Throwable>> closers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            closers.add(this.executor.submit(() -> {
                startGate.await();
                try {
                    stack.close();
                    return null;
                }
                catch (Throwable ex) {
                    return ex;
                }
            }));
        }
        startGate.countDown();
        for (Future<Throwable> closer : closers) {
            Throwable thrown = closer.get(30, TimeUnit.SECONDS);
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("being unwound");
            }
        }

        assertThat(resources).allSatisfy((resource) -> assertThat(resource.closes()).isOne());
        assertThat(this.log.events()).hasSize(PER_THREAD);
    }

    private List<EventLog.Resource> registerMany(ExitStack stack, String prefix) {
        List<EventLog.Resource> resources = new ArrayList<>(PER_THREAD);
        for (int i = 0; i < PER_THREAD; i++) {
            resources.add(stack.register(this.log.resource(prefix + "-" + i)));
        }
        return resources;
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

}
