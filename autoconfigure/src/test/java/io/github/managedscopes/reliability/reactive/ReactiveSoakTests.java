package io.github.managedscopes.reliability.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.reliability.Figures;
import io.github.managedscopes.reliability.ReliabilityClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive soak: 64 concurrent clients send random plans ({@code Mono}, {@code Flux} and
 * SSE endpoints, faults at enter, in the pipeline and at close), 3% of them hanging up in the
 * middle of a stream (reset or FIN), every exchange checked against its plan; afterwards
 * nothing is open, no scope is active and the suppressed-exception counter counts exactly
 * the attached and swallowed faults. Bounded in count ({@code -Dreliability.reactive.requests},
 * default 20,000) and in time ({@code -Dreliability.reactive.time-limit-seconds}, default 150,
 * then it fails).
 */
@ReactiveReliabilityTest
class ReactiveSoakTests {

    static final int CLIENTS = 64;

    static final int REQUESTS = Integer.getInteger("reliability.reactive.requests", 20_000);

    static final long SEED = Long.getLong("reliability.reactive.seed", 20240801L);

    /** A liveness bound, not a throughput assertion: a soak that has not finished by then is stuck. */
    static final Duration TIME_LIMIT = Duration
        .ofSeconds(Long.getLong("reliability.reactive.time-limit-seconds", 150));

    private static final AtomicLong ids = new AtomicLong(6_000_000_000L);

    @LocalServerPort
    private int port;

    @Autowired
    private ReactiveLedger ledger;

    @Autowired
    private MeterRegistry registry;

    @Autowired
    private WebServerApplicationContext context;

    @Test
    void sixtyFourClientsWithFaultsAndHangUpsLeaveNothingOpenAndEveryExceptionAccountedFor() throws Exception {
        ReactiveRun.assertReactorNetty(this.context);
        System.out.println("[reliability] reactive soak seed " + SEED + ", " + REQUESTS + " requests, " + CLIENTS
                + " clients");
        Figures figures = new Figures();
        Random random = new Random(SEED);
        List<ReactivePlan> plans = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            plans.add(ReactivePlan.random(random, ids.incrementAndGet(), random.nextInt(100) < 3));
        }
        ReactiveRun run = new ReactiveRun(this.registry, this.ledger, figures);
        ReactiveClient client = new ReactiveClient(ReliabilityClient.newHttpClient(), this.port, this.ledger, figures);
        long started = System.nanoTime();
        boolean inTime = run.play(plans, CLIENTS, client, TIME_LIMIT);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        run.assertNoProblems();
        assertThat(inTime).as("%d requests played within %s", REQUESTS, TIME_LIMIT).isTrue();
        assertThat(figures.get("requests")).isEqualTo(REQUESTS);
        String meters = run.assertAccountedFor();
        figures.write("Reactive soak", List.of("Seed " + SEED + ", " + CLIENTS + " clients, " + REQUESTS
                + " requests in " + seconds + " s, on Reactor Netty.", meters));
    }

}
