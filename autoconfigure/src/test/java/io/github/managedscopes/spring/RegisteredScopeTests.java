package io.github.managedscopes.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list of a {@link RegisteredScope}'s open resources, which takes registrations and
 * closes without a lock: readers see exactly the open records, and closed records are
 * dropped, so that a long-lived list does not grow with what it has seen.
 */
class RegisteredScopeTests {

    private final RegisteredScope scope = new RegisteredScope(new ScopeRegistry(ScopeRegistry.Subscriber.NONE, false),
            "none", System.nanoTime());

    @Test
    void listsTheOpenResourcesNewestFirst() {
        RegisteredResource first = open("first");
        RegisteredResource second = open("second");
        RegisteredResource third = open("third");
        this.scope.unlink(second);
        assertThat(this.scope.resources()).containsExactly(third, first);
        this.scope.unlink(third);
        this.scope.unlink(first);
        assertThat(this.scope.resources()).isEmpty();
    }

    @Test
    void dropsClosedRecordsSoThatALongLivedListStaysSmall() {
        RegisteredResource kept = open("kept");
        for (int i = 0; i < 100_000; i++) {
            this.scope.unlink(open("short-lived"));
        }
        RegisteredResource newest = open("newest");
        assertThat(this.scope.resources()).containsExactly(newest, kept);
        assertThat(records()).isLessThanOrEqualTo(2 * 64 + 2);
    }

    @Test
    void keepsEveryOpenRecordWhileThreadsRegisterAndCloseAtOnce() throws Exception {
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<RegisteredResource>>> kept = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                kept.add(executor.submit(() -> {
                    start.await();
                    List<RegisteredResource> open = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        RegisteredResource resource = open("r" + i);
                        if (i % 1_000 == 0) {
                            open.add(resource);
                        }
                        else {
                            this.scope.unlink(resource);
                        }
                    }
                    return open;
                }));
            }
            start.countDown();
            List<RegisteredResource> expected = new ArrayList<>();
            for (Future<List<RegisteredResource>> future : kept) {
                expected.addAll(future.get(30, TimeUnit.SECONDS));
            }
            assertThat(this.scope.resources()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(records()).isLessThanOrEqualTo(2 * Math.max(64, expected.size()) + threads * 64);
        }
        finally {
            executor.shutdownNow();
        }
    }

    private RegisteredResource open(String name) {
        RegisteredResource resource = new RegisteredResource(name, null, this.scope);
        this.scope.link(resource);
        return resource;
    }

    /** The records the list holds, open or closed. */
    private int records() {
        int count = 0;
        for (RegisteredResource resource = this.scope.head(); resource != null; resource = resource.next) {
            count++;
        }
        return count;
    }

}
