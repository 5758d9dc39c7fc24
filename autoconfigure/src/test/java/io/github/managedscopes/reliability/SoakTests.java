package io.github.managedscopes.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Expectation.Fate;
import io.github.managedscopes.reliability.FaultPlan.Special;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak: 64 concurrent clients send a mix of the fault matrix, with disconnects in the
 * middle of a StreamingResponseBody (SseEmitter disconnects are in {@link SseDisconnectTests}),
 * time-outs, late registrations and abandoned scopes, over real HTTP, every request checked
 * against its plan. Afterwards nothing is open, no scope is active, the leak counters count
 * exactly the injected leaks, the suppressed-exception counters exactly the injected faults
 * that were not to propagate, and the heap after a full GC is no bigger at the end than at
 * half-time. Bounded in count ({@code -Dreliability.requests}, default 100,000) and in time
 * (six minutes, then it fails).
 */
@ReliabilityTest
class SoakTests {

    static final int CLIENTS = 64;

    static final int REQUESTS = Integer.getInteger("reliability.requests", 100_000);

    static final long SEED = Long.getLong("reliability.seed", 20240801L);

    /**
     * A liveness bound, not a throughput assertion: a soak that has not finished by then is
     * stuck (a request that never settles, a deadlock). Throughput is measured by the
     * benchmarks (benchmarks/README.md), on a quiet machine.
     */
    static final Duration TIME_LIMIT = Duration.ofSeconds(Long.getLong("reliability.time-limit-seconds", 360));

    /**
     * How much the heap after a full GC may grow from half-time to the end. Everything the
     * suite itself keeps per request is removed once the request is checked, and the
     * library's meters are bounded, so growth proportional to the requests would be a leak:
     * 50,000 requests leaking one 100-byte object each is 5 MB. What remains is the noise of
     * a live server (Tomcat's and the HTTP client's buffers and pools, thread-local caches,
     * H2's pages), which the first measurements put within a few MB.
     */
    static final long HEAP_TOLERANCE = 8L * 1024 * 1024;

    private static final AtomicLong ids = new AtomicLong(2_000_000_000L);

    private final Figures figures = new Figures();

    private final HttpClient http = ReliabilityClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private Ledger ledger;

    @Autowired
    private MeterRegistry registry;

    @Test
    void sixtyFourClientsLeaveNothingOpenLeakOnlyWhatWasInjectedAndKeepTheHeapFlat() throws Exception {
        System.out.println("[reliability] soak seed " + SEED + ", " + REQUESTS + " requests, " + CLIENTS + " clients");
        Meters meters = new Meters(this.registry);
        // Leak detection is off here, so no threshold leak can be counted: its coverage is
        // ManagedScopesMetricsTests and PrometheusScrapeTests, which switch it on.
        double[] leakedBefore = { meters.leaked("late-registration"), meters.leaked("abandoned") };
        double[] suppressedBefore = { meters.suppressed("close-during-failure"), meters.suppressed("swallowed"),
                meters.suppressed("hook-failed") };
        int strays = this.ledger.strays.size();
        ReliabilityClient client = new ReliabilityClient(this.http, this.port, this.ledger, this.figures);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger problemCount = new AtomicInteger();
        long[] heap = new long[2];
        CyclicBarrier halfTime = new CyclicBarrier(CLIENTS, () -> heap[0] = heapAfterFullGc());
        long started = System.nanoTime();
        long deadline = started + TIME_LIMIT.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int share = REQUESTS / CLIENTS + ((c < REQUESTS % CLIENTS) ? 1 : 0);
                Random random = new Random(SEED * 1_000 + c);
                running.add(clients.submit(() -> {
                    FaultPlan plan = null;
                    try {
                        for (int n = 0; n < share; n++) {
                            if (n == share / 2) {
                                halfTime.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                            }
                            if (System.nanoTime() > deadline || problemCount.get() > 0) {
                                return null;
                            }
                            plan = FaultPlan.random(random, ids.incrementAndGet(), special(random.nextInt(1000)));
                            for (String problem : client.play(plan)) {
                                if (problemCount.incrementAndGet() <= 20) {
                                    problems.add(problem);
                                }
                            }
                        }
                        return null;
                    }
                    catch (Throwable ex) {
                        if (problemCount.incrementAndGet() <= 20 && !(ex instanceof BrokenBarrierException)) {
                            problems.add(((plan != null) ? plan.encode() : "") + ": the client failed with " + ex);
                        }
                        halfTime.reset();
                        throw ex;
                    }
                }));
            }
            for (Future<?> future : running) {
                try {
                    future.get(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(40),
                            TimeUnit.NANOSECONDS);
                }
                catch (ExecutionException ex) {
                    // reported through problems
                }
            }
        }
        finally {
            clients.shutdownNow();
        }
        Duration runTime = Duration.ofNanos(System.nanoTime() - started);
        assertThat(problems).as("requests whose observed behaviour differs from their plan").isEmpty();
        assertThat(this.figures.get("requests")).as("requests completed within %s", TIME_LIMIT).isEqualTo(REQUESTS);
        heap[1] = heapAfterFullGc();
        long abandoned = this.figures.get("resources abandoned (scope garbage-collected unclosed)");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            System.gc();
            assertThat(meters.leaked("abandoned") - leakedBefore[1]).as("leaked, abandoned").isEqualTo(abandoned);
            assertThat(meters.open()).as("managedscopes.resources.open").isZero();
            assertThat(meters.activeScopes()).as("managedscopes.scopes.active").isZero();
        });
        long late = this.figures.get("resources opened: late registrations (closed at once)");
        assertThat(meters.leaked("late-registration") - leakedBefore[0]).as("leaked, late-registration")
            .isEqualTo(late);
        assertThat(meters.suppressed("close-during-failure") - suppressedBefore[0]).as("suppressed, close-during-failure")
            .isEqualTo(this.figures.get("exceptions by fate: " + Fate.ATTACHED));
        assertThat(meters.suppressed("swallowed") - suppressedBefore[1]).as("suppressed, swallowed")
            .isEqualTo(this.figures.get("exceptions by fate: " + Fate.SWALLOWED));
        assertThat(meters.suppressed("hook-failed") - suppressedBefore[2]).as("suppressed, hook-failed")
            .isEqualTo(this.figures.get("exceptions by fate: " + Fate.HOOK_FAILED));
        assertThat(this.ledger.strays.subList(strays, this.ledger.strays.size())).as("exceptions charged to no request")
            .isEmpty();
        assertThat(this.ledger.inFlight()).as("records left on the server").isZero();
        this.figures.write("Soak", List.of("Seed " + SEED + ", " + CLIENTS + " clients, " + REQUESTS
                + " requests in " + runTime.toSeconds() + " s (" + Math.round(REQUESTS / (runTime.toMillis() / 1000.0))
                + " requests/s), on " + Runtime.getRuntime().availableProcessors() + " cores.",
                "Heap used after a full GC: " + mb(heap[0]) + " MB at half-time, " + mb(heap[1]) + " MB at the end ("
                        + signedMb(heap[1] - heap[0]) + " MB; tolerance " + mb(HEAP_TOLERANCE) + " MB).",
                "Meters afterwards: resources.open " + meters.open() + ", scopes.active " + meters.activeScopes()
                        + ", leaked late-registration +" + late + ", leaked abandoned +" + abandoned
                        + "; suppressed close-during-failure, swallowed and hook-failed equal "
                        + "the ATTACHED, SWALLOWED and HOOK_FAILED fates below."));
        System.out.println("[reliability] soak: " + REQUESTS + " requests in " + runTime.toSeconds() + " s, heap "
                + mb(heap[0]) + " MB at half-time, " + mb(heap[1]) + " MB at the end");
        assertThat(heap[1] - heap[0]).as("heap growth from half-time to the end, after a full GC")
            .isLessThan(HEAP_TOLERANCE);
        assertThat(SuppressionReason.values()).hasSize(3);
    }

    /** One request in a hundred disconnects, one in two hundred times out or registers late, one in 500 abandons its scope. */
    private static Special special(int roll) {
        if (roll < 10) {
            return Special.DISCONNECT;
        }
        if (roll < 15) {
            return Special.TIMEOUT;
        }
        if (roll < 20) {
            return Special.LATE;
        }
        return (roll < 22) ? Special.ABANDON : Special.NONE;
    }

    private static long heapAfterFullGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String mb(long bytes) {
        return String.format("%.1f", bytes / (1024.0 * 1024.0));
    }

    private static String signedMb(long bytes) {
        return String.format("%+.1f", bytes / (1024.0 * 1024.0));
    }

}
