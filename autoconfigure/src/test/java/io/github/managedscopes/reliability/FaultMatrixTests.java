package io.github.managedscopes.reliability;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.reliability.FaultPlan.Kind;
import io.github.managedscopes.reliability.FaultPlan.Opener;
import io.github.managedscopes.reliability.FaultPlan.Resource;
import io.github.managedscopes.reliability.FaultPlan.Special;
import io.github.managedscopes.reliability.FaultPlan.Tx;
import io.github.managedscopes.reliability.Faults.Type;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix over real HTTP: every fault alone on every kind of handler, then random
 * combinations with fixed seeds. For every request the suite knows from its plan which
 * resources open, in which order they close, which failure propagates and where every other
 * injected exception ends up, and checks it against what the server saw.
 */
@ReliabilityTest
class FaultMatrixTests {

    /** The seeds of the random combinations; printed, so that a failure can be replayed. */
    private static final long[] SEEDS = { 20240801L, 7L, 424242L };

    private static final int RANDOM_REQUESTS_PER_SEED = 700;

    private static final Figures figures = new Figures();

    private static final AtomicLong ids = new AtomicLong(1_000_000_000L);

    private final HttpClient http = ReliabilityClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private Ledger ledger;

    @Autowired
    private MeterRegistry registry;

    @AfterAll
    static void writeFigures() {
        figures.write("Fault matrix", List.of("Every fault alone on every kind of handler, then "
                + RANDOM_REQUESTS_PER_SEED + " random combinations for each of the seeds "
                + java.util.Arrays.toString(SEEDS) + ", eight clients at a time."));
    }

    @Test
    void everyFaultAloneOnEveryKindOfHandlerIsAccountedFor() throws Exception {
        List<FaultPlan> plans = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            plans.addAll(alone(kind));
        }
        assertNoProblems(play(plans, 4));
    }

    @Test
    void faultsTogetherOnEveryKindOfHandlerAreAccountedFor() throws Exception {
        List<FaultPlan> plans = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            boolean async = kind != Kind.SYNC;
            plans.add(plan(kind, Special.NONE, Type.RUNTIME, new Tx(false, null, Type.ERROR),
                    res(Opener.REGISTER, false, null, Type.CHECKED), res(Opener.MANAGED, false, null, Type.SWALLOWED),
                    res(Opener.CLOSE_METHOD, false, null, Type.ERROR), res(Opener.CONTEXT, async, null, Type.RUNTIME)));
            plans.add(plan(kind, Special.NONE, null, null, res(Opener.REGISTER, false, null, Type.ERROR),
                    res(Opener.CONTEXT, false, null, Type.CHECKED), res(Opener.REGISTER, async, null, Type.RUNTIME),
                    res(Opener.MANAGED, false, null, Type.SWALLOWED)));
            plans.add(plan(kind, Special.NONE, null, new Tx(true, Type.CHECKED, Type.RUNTIME),
                    res(Opener.CONTEXT, false, null, Type.ERROR), res(Opener.CLOSE_METHOD, false, null, Type.CHECKED)));
            plans.add(plan(kind, Special.NONE, Type.CHECKED, null, res(Opener.MANAGED, false, null, Type.RUNTIME),
                    res(Opener.CONTEXT, async, Type.RUNTIME, null), res(Opener.REGISTER, async, null, Type.ERROR)));
        }
        for (Kind kind : List.of(Kind.DEFERRED, Kind.SSE)) {
            plans.add(plan(kind, Special.TIMEOUT, null, null, res(Opener.REGISTER, false, null, Type.CHECKED),
                    res(Opener.CONTEXT, false, null, Type.ERROR), res(Opener.MANAGED, false, null, Type.SWALLOWED)));
        }
        for (Kind kind : List.of(Kind.STREAM, Kind.SSE)) {
            plans.add(plan(kind, Special.DISCONNECT, null, new Tx(false, null, Type.RUNTIME),
                    res(Opener.REGISTER, false, null, Type.RUNTIME), res(Opener.CONTEXT, false, null, Type.ERROR),
                    res(Opener.CLOSE_METHOD, false, null, Type.SWALLOWED)));
        }
        plans.add(plan(Kind.SYNC, Special.LATE, Type.RUNTIME, null, res(Opener.REGISTER, false, null, Type.ERROR)));
        plans.add(plan(Kind.SSE, Special.STUCK, null, null, res(Opener.REGISTER, false, null, Type.CHECKED),
                res(Opener.CONTEXT, false, null, null), res(Opener.MANAGED, false, null, Type.SWALLOWED)));
        assertNoProblems(play(plans, 4));
    }

    @Test
    void randomCombinationsWithFixedSeedsAreAccountedFor() throws Exception {
        int strays = this.ledger.strays.size();
        for (long seed : SEEDS) {
            System.out.println("[reliability] fault matrix seed " + seed);
            Random random = new Random(seed);
            List<FaultPlan> plans = new ArrayList<>();
            for (int i = 0; i < RANDOM_REQUESTS_PER_SEED; i++) {
                int roll = random.nextInt(100);
                Special special = (roll < 2) ? Special.TIMEOUT : (roll < 4) ? Special.DISCONNECT
                        : (roll < 5) ? Special.LATE : Special.NONE;
                plans.add(FaultPlan.random(random, ids.incrementAndGet(), special));
            }
            List<String> problems = play(plans, 8);
            assertThat(problems).as("problems with seed %d (replay with that seed)", seed).isEmpty();
        }
        assertNothingOpen(strays);
    }

    private List<FaultPlan> alone(Kind kind) {
        boolean async = kind != Kind.SYNC;
        List<FaultPlan> plans = new ArrayList<>();
        plans.add(plan(kind, Special.NONE, null, null, res(Opener.REGISTER, false, null, null),
                res(Opener.MANAGED, false, null, null), res(Opener.CLOSE_METHOD, false, null, null),
                res(Opener.CONTEXT, false, null, null), res(Opener.REGISTER, async, null, null),
                res(Opener.CONTEXT, async, null, null)));
        for (Opener opener : List.of(Opener.MANAGED, Opener.CLOSE_METHOD, Opener.CONTEXT)) {
            for (Type type : List.of(Type.RUNTIME, Type.CHECKED)) {
                plans.add(plan(kind, Special.NONE, null, null, res(Opener.REGISTER, false, null, null),
                        res(opener, false, type, null), res(Opener.CONTEXT, false, null, null)));
            }
        }
        plans.add(plan(kind, Special.NONE, null, null, res(Opener.REGISTER, false, null, null),
                res(Opener.CONTEXT, async, Type.RUNTIME, null), res(Opener.REGISTER, async, null, null)));
        for (Type type : List.of(Type.RUNTIME, Type.CHECKED)) {
            plans.add(plan(kind, Special.NONE, type, null, res(Opener.REGISTER, false, null, null),
                    res(Opener.CONTEXT, async, null, null)));
        }
        for (Type type : List.of(Type.CHECKED, Type.RUNTIME, Type.ERROR)) {
            for (Opener opener : Opener.values()) {
                boolean inAsyncPart = async && (opener == Opener.REGISTER || opener == Opener.CONTEXT);
                plans.add(plan(kind, Special.NONE, null, null, res(Opener.REGISTER, false, null, null),
                        res(opener, inAsyncPart, null, type), res(Opener.CONTEXT, inAsyncPart, null, null)));
            }
            plans.add(plan(kind, Special.NONE, null, new Tx(true, type, null), res(Opener.REGISTER, false, null, null)));
            plans.add(plan(kind, Special.NONE, null, new Tx(false, null, type), res(Opener.REGISTER, false, null, null)));
        }
        for (Opener opener : List.of(Opener.MANAGED, Opener.CLOSE_METHOD)) {
            plans.add(plan(kind, Special.NONE, null, null, res(opener, false, null, Type.SWALLOWED)));
        }
        plans.add(plan(kind, Special.NONE, null, new Tx(true, null, null), res(Opener.MANAGED, false, null, null)));
        plans.add(plan(kind, Special.NONE, null, new Tx(false, null, null)));
        return plans;
    }

    private List<String> play(List<FaultPlan> plans, int clients) throws Exception {
        ReliabilityClient client = new ReliabilityClient(this.http, this.port, this.ledger, figures);
        ConcurrentLinkedQueue<FaultPlan> queue = new ConcurrentLinkedQueue<>(plans);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(executor.submit(() -> {
                    for (FaultPlan plan = queue.poll(); plan != null; plan = queue.poll()) {
                        problems.addAll(client.play(plan));
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(Duration.ofMinutes(3).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        finally {
            executor.shutdownNow();
        }
        return new ArrayList<>(problems);
    }

    private static void assertNoProblems(List<String> problems) {
        assertThat(problems).as("requests whose observed behaviour differs from their plan").isEmpty();
    }

    private void assertNothingOpen(int straysBefore) {
        Meters meters = new Meters(this.registry);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.open()).as("managedscopes.resources.open").isZero();
            assertThat(meters.activeScopes()).as("managedscopes.scopes.active").isZero();
        });
        assertThat(this.ledger.strays.subList(straysBefore, this.ledger.strays.size()))
            .as("exceptions charged to no request")
            .isEmpty();
    }

    private static FaultPlan plan(Kind kind, Special special, @Nullable Type body, @Nullable Tx tx,
            Resource... resources) {
        return new FaultPlan(ids.incrementAndGet(), kind, special, List.of(resources), tx, body);
    }

    private static Resource res(Opener opener, boolean async, @Nullable Type enterFault, @Nullable Type closeFault) {
        return new Resource(opener, async, enterFault, closeFault);
    }

}
