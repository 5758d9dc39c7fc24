package io.github.managedscopes.reliability.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Figures;
import io.github.managedscopes.reliability.Meters;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs plans from concurrent clients, each taking the next plan until none is left, the time
 * is up or problems were found, and checks what must hold once they are done: nothing open,
 * no scope active, nothing charged to no request, and the suppressed-exception counter equal
 * to the fates that count in it.
 */
final class ReactiveRun {

    private static final String ATTACHED = "exceptions by fate: ATTACHED";

    private static final String SWALLOWED = "exceptions by fate: SWALLOWED";

    private static final String OPENED = "resources opened";

    private static final String CLOSED = "resources closed";

    /** How many problems are kept for the report; the count goes on. */
    private static final int KEPT = 20;

    private final Meters meters;

    private final ReactiveLedger ledger;

    private final int straysBefore;

    private final double attachedBefore;

    private final double swallowedBefore;

    private final Figures figures;

    private final long[] figuresBefore;

    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    final AtomicInteger problemCount = new AtomicInteger();

    ReactiveRun(MeterRegistry registry, ReactiveLedger ledger, Figures figures) {
        this.meters = new Meters(registry);
        this.ledger = ledger;
        this.figures = figures;
        this.figuresBefore = new long[] { figures.get(ATTACHED), figures.get(SWALLOWED), figures.get(OPENED),
                figures.get(CLOSED) };
        this.straysBefore = ledger.strays.size();
        this.attachedBefore = this.meters.suppressed(SuppressionReason.CLOSE_DURING_FAILURE.tagValue());
        this.swallowedBefore = this.meters.suppressed(SuppressionReason.SWALLOWED.tagValue());
    }

    /** The server must be Reactor Netty: Tomcat is on the test class path too. */
    static void assertReactorNetty(WebServerApplicationContext context) {
        assertThat(context.getWebServer().getClass().getName()).as("the web server").contains("Netty");
    }

    /**
     * Plays the plans from {@code clients} concurrent clients.
     * @return whether every plan was played within {@code limit}
     */
    boolean play(List<ReactivePlan> plans, int clients, ReactiveClient client, Duration limit) throws Exception {
        ConcurrentLinkedQueue<ReactivePlan> queue = new ConcurrentLinkedQueue<>(plans);
        long deadline = System.nanoTime() + limit.toNanos();
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(executor.submit(() -> {
                    for (ReactivePlan plan = queue.poll(); plan != null; plan = queue.poll()) {
                        if (System.nanoTime() > deadline || this.problemCount.get() > 0) {
                            return null;
                        }
                        try {
                            client.play(plan).forEach(this::problem);
                        }
                        catch (AssertionError | Exception ex) {
                            problem(plan.encode() + ": " + ex);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                try {
                    future.get(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(40),
                            TimeUnit.NANOSECONDS);
                }
                catch (ExecutionException ex) {
                    problem("a client failed: " + ex.getCause());
                }
            }
        }
        finally {
            executor.shutdownNow();
        }
        return queue.isEmpty() && System.nanoTime() <= deadline;
    }

    private long grown(String figure, int index) {
        return this.figures.get(figure) - this.figuresBefore[index];
    }

    private void problem(String problem) {
        if (this.problemCount.incrementAndGet() <= KEPT) {
            this.problems.add(problem);
        }
    }

    void assertNoProblems() {
        assertThat(this.problems).as("exchanges whose observed behaviour differs from their plan (%d in all)",
                this.problemCount.get()).isEmpty();
    }

    /**
     * Asserts that nothing is open, no scope active, nothing was charged to no request, and
     * the suppressed-exception counters grew by exactly the attached and swallowed fates.
     * @return a line for the report
     */
    String assertAccountedFor() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(this.meters.open()).as("managedscopes.resources.open").isZero();
            assertThat(this.meters.activeScopes()).as("managedscopes.scopes.active").isZero();
        });
        assertThat(this.ledger.strays.subList(this.straysBefore, this.ledger.strays.size()))
            .as("exceptions and scopes charged to no request")
            .isEmpty();
        double attached = this.meters.suppressed(SuppressionReason.CLOSE_DURING_FAILURE.tagValue())
                - this.attachedBefore;
        double swallowed = this.meters.suppressed(SuppressionReason.SWALLOWED.tagValue()) - this.swallowedBefore;
        assertThat(attached).as("exceptions.suppressed{reason=close-during-failure}")
            .isEqualTo(grown(ATTACHED, 0));
        assertThat(swallowed).as("exceptions.suppressed{reason=swallowed}")
            .isEqualTo(grown(SWALLOWED, 1));
        assertThat(grown(CLOSED, 3)).as("resources closed").isEqualTo(grown(OPENED, 2));
        return "Meters afterwards: resources.open " + this.meters.open() + ", scopes.active "
                + this.meters.activeScopes() + "; exceptions.suppressed grew by " + (long) attached
                + " close-during-failure and " + (long) swallowed + " swallowed, the ATTACHED and SWALLOWED fates.";
    }

}
