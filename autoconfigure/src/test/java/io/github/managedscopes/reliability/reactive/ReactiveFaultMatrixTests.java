package io.github.managedscopes.reliability.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.reliability.Figures;
import io.github.managedscopes.reliability.Faults.Type;
import io.github.managedscopes.reliability.ReliabilityClient;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Kind;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Opener;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Resource;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive fault matrix over real HTTP on Reactor Netty: every fault alone on every kind
 * of endpoint (entering each kind of resource fails, in the handler method and in the
 * pipeline; closing each fails, synchronously or with a failed stage; the pipeline fails,
 * before or in the middle of a stream), clients hanging up mid-stream, then random
 * combinations with fixed seeds. Each exchange is checked against its plan.
 */
@ReactiveReliabilityTest
class ReactiveFaultMatrixTests {

    /** The seeds of the random combinations; printed, so that a failure can be replayed. */
    private static final long[] SEEDS = { 20240801L, 7L, 424242L };

    private static final int RANDOM_PER_SEED = 200;

    private static final Duration LIMIT = Duration.ofMinutes(2);

    private static final Figures figures = new Figures();

    private static final AtomicLong ids = new AtomicLong(5_000_000_000L);

    @LocalServerPort
    private int port;

    @Autowired
    private ReactiveLedger ledger;

    @Autowired
    private MeterRegistry registry;

    @Autowired
    private WebServerApplicationContext context;

    private ReactiveClient client;

    @BeforeEach
    void client() {
        ReactiveRun.assertReactorNetty(this.context);
        this.client = new ReactiveClient(ReliabilityClient.newHttpClient(), this.port, this.ledger, figures);
    }

    @AfterAll
    static void writeFigures() {
        figures.write("Reactive fault matrix", List.of("Every fault alone on every kind of endpoint, hang-ups, then "
                + RANDOM_PER_SEED + " random combinations for each of the seeds " + Arrays.toString(SEEDS)
                + ", sixteen clients at a time, on Reactor Netty."));
    }

    @Test
    void everyFaultAloneOnEveryKindOfEndpointIsAccountedFor() throws Exception {
        List<ReactivePlan> plans = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            plans.addAll(alone(kind));
        }
        ReactiveRun run = new ReactiveRun(this.registry, this.ledger, figures);
        boolean inTime = run.play(plans, 8, this.client, LIMIT);
        run.assertNoProblems();
        assertThat(inTime).as("played within %s", LIMIT).isTrue();
        run.assertAccountedFor();
    }

    @Test
    void everyScopeOfAStreamWhoseClientHangsUpEndsWithTheHangUpAndClosesEverythingOnce() throws Exception {
        List<ReactivePlan> plans = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Kind kind = (i % 2 == 0) ? Kind.FLUX : Kind.SSE;
            plans.add(plan(kind, true, null, 0, res(Opener.SYNC, false, null, Type.RUNTIME),
                    res(Opener.CONTEXT, false, null, (i % 3 == 0) ? Type.ERROR : null),
                    res(Opener.ASYNC, false, null, Type.CHECKED), res(Opener.CONTEXT, false, null, null)));
        }
        ReactiveRun run = new ReactiveRun(this.registry, this.ledger, figures);
        boolean inTime = run.play(plans, 8, this.client, LIMIT);
        run.assertNoProblems();
        assertThat(inTime).as("played within %s", LIMIT).isTrue();
        run.assertAccountedFor();
    }

    @Test
    void randomCombinationsWithFixedSeedsAreAccountedFor() throws Exception {
        ReactiveRun run = new ReactiveRun(this.registry, this.ledger, figures);
        for (long seed : SEEDS) {
            System.out.println("[reliability] reactive fault matrix seed " + seed);
            Random random = new Random(seed);
            List<ReactivePlan> plans = new ArrayList<>();
            for (int i = 0; i < RANDOM_PER_SEED; i++) {
                plans.add(ReactivePlan.random(random, ids.incrementAndGet(), random.nextInt(100) < 5));
            }
            boolean inTime = run.play(plans, 16, this.client, LIMIT);
            assertThat(run.problems).as("problems with seed %d (replay with that seed)", seed).isEmpty();
            assertThat(inTime).as("seed %d played within %s", seed, LIMIT).isTrue();
        }
        run.assertAccountedFor();
    }

    private static List<ReactivePlan> alone(Kind kind) {
        List<ReactivePlan> plans = new ArrayList<>();
        int elements = (kind == Kind.MONO) ? 0 : 2;
        plans.add(plan(kind, false, null, elements, res(Opener.SYNC, false, null, null),
                res(Opener.ASYNC, false, null, null), res(Opener.CONTEXT, false, null, null),
                res(Opener.SYNC, true, null, null), res(Opener.ASYNC, true, null, null),
                res(Opener.CONTEXT, true, null, null), res(Opener.MANAGED, true, null, null)));
        for (Opener opener : Opener.values()) {
            for (boolean inPipeline : (opener == Opener.MANAGED) ? List.of(true) : List.of(false, true)) {
                for (Type type : List.of(Type.CHECKED, Type.RUNTIME, Type.ERROR)) {
                    plans.add(plan(kind, false, null, elements, res(Opener.ASYNC, false, null, null),
                            res(opener, inPipeline, type, null), res(Opener.CONTEXT, true, null, null)));
                    plans.add(plan(kind, false, null, elements, res(Opener.CONTEXT, false, null, null),
                            res(opener, inPipeline, null, type), res(Opener.SYNC, inPipeline, null, null)));
                }
            }
        }
        plans.add(plan(kind, false, null, elements, res(Opener.MANAGED, true, null, Type.SWALLOWED),
                res(Opener.CONTEXT, true, null, null)));
        for (Type type : List.of(Type.CHECKED, Type.RUNTIME, Type.ERROR)) {
            for (int before : (kind == Kind.MONO) ? List.of(0) : List.of(0, 2)) {
                plans.add(plan(kind, false, type, before, res(Opener.ASYNC, false, null, null),
                        res(Opener.CONTEXT, true, null, null)));
            }
        }
        plans.add(plan(kind, false, Type.RUNTIME, elements, res(Opener.ASYNC, false, null, Type.RUNTIME),
                res(Opener.CONTEXT, false, null, Type.CHECKED), res(Opener.SYNC, true, null, Type.ERROR),
                res(Opener.MANAGED, true, null, Type.SWALLOWED)));
        plans.add(plan(kind, false, null, elements, res(Opener.ASYNC, false, null, Type.RUNTIME),
                res(Opener.CONTEXT, true, null, Type.CHECKED), res(Opener.SYNC, true, null, Type.ERROR)));
        return plans;
    }

    private static ReactivePlan plan(Kind kind, boolean disconnect, @Nullable Type body, int elements,
            Resource... resources) {
        return new ReactivePlan(ids.incrementAndGet(), kind, disconnect, List.of(resources), body, elements);
    }

    private static Resource res(Opener opener, boolean inPipeline, @Nullable Type enterFault,
            @Nullable Type closeFault) {
        return new Resource(opener, inPipeline, enterFault, closeFault);
    }

}
