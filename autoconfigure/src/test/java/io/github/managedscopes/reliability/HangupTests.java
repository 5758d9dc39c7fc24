package io.github.managedscopes.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.reliability.FaultPlan.Kind;
import io.github.managedscopes.reliability.FaultPlan.Special;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that hang up in the middle of a stream, 64 at a time: {@value #PER_KIND}
 * {@code SseEmitter} and as many {@code StreamingResponseBody} requests (by default; the
 * {@code reliability.hangups} property sets the number), each hanging up as its
 * {@link Hangup} says (reset or FIN, at a random point, an SSE event sent before the handler
 * returned or not), each with random resources and faults. Tomcat loses the container's
 * notifications of some of these requests (see RELIABILITY.md): every scope must still end,
 * within the stream's time-out plus {@link Expectation#HANG_UP_GRACE} of the hang-up, never
 * under its running producer, and every resource close exactly once.
 */
@ReliabilityTest
class HangupTests {

    static final int PER_KIND = 1500;

    private static final int HANGUPS = Integer.getInteger("reliability.hangups", PER_KIND);

    private static final long SEED = 11_235_813L;

    private static final AtomicLong ids = new AtomicLong(3_000_000_000L);

    @LocalServerPort
    private int port;

    @Autowired
    private Ledger ledger;

    @Autowired
    private MeterRegistry registry;

    @Test
    void everyScopeOfAStreamWhoseClientHangsUpEndsOnce() throws Exception {
        System.out.println("[reliability] hang-ups seed " + SEED);
        Figures figures = new Figures();
        Random random = new Random(SEED);
        List<FaultPlan> plans = new ArrayList<>();
        for (int i = 0; i < 2 * HANGUPS; i++) {
            FaultPlan plan;
            do {
                plan = FaultPlan.random(random, ids.incrementAndGet(), Special.DISCONNECT);
            }
            while (plan.kind() != ((i % 2 == 0) ? Kind.SSE : Kind.STREAM));
            plans.add(plan);
        }
        Collections.shuffle(plans, random);
        long started = System.nanoTime();
        List<String> problems = play(plans, new ReliabilityClient(ReliabilityClient.newHttpClient(), this.port,
                this.ledger, figures));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(problems).as("requests whose observed behaviour differs from their plan").isEmpty();
        Meters meters = new Meters(this.registry);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.open()).as("managedscopes.resources.open").isZero();
            assertThat(meters.activeScopes()).as("managedscopes.scopes.active").isZero();
        });
        assertThat(figures.get("requests")).isEqualTo(2L * HANGUPS);
        assertThat(figures.get("resources closed")).isEqualTo(figures.get("resources opened"));
        figures.write("Hang-ups", List.of(HANGUPS + " SseEmitter and " + HANGUPS
                + " StreamingResponseBody requests whose clients hang up, 64 clients, seed " + SEED + ", in "
                + seconds + " s. Afterwards resources.open " + meters.open() + ", scopes.active "
                + meters.activeScopes() + "."));
    }

    private static List<String> play(List<FaultPlan> plans, ReliabilityClient client) throws Exception {
        ConcurrentLinkedQueue<FaultPlan> queue = new ConcurrentLinkedQueue<>(plans);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(SoakTests.CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < SoakTests.CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    for (FaultPlan plan = queue.poll(); plan != null; plan = queue.poll()) {
                        try {
                            problems.addAll(client.play(plan));
                        }
                        catch (AssertionError ex) {
                            problems.add(ex.getMessage());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(5, TimeUnit.MINUTES);
            }
        }
        finally {
            clients.shutdownNow();
        }
        return new ArrayList<>(problems);
    }

}
