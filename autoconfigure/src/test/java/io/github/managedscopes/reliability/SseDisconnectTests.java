package io.github.managedscopes.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.reliability.FaultPlan.Kind;
import io.github.managedscopes.reliability.FaultPlan.Opener;
import io.github.managedscopes.reliability.FaultPlan.Resource;
import io.github.managedscopes.reliability.FaultPlan.Special;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hang up in the middle of an {@code SseEmitter} stream, 64 at a time. Open
 * finding: a few percent of these requests never complete (no AsyncListener.onComplete
 * within 70 s, past the emitter's own 20 s time-out), so their request scope never ends and
 * what it holds stays open. The same disconnects on a StreamingResponseBody all complete.
 * Whether the cause is Tomcat's or Spring MVC's handling of a failed SSE send (the handler
 * calls completeWithError after the IOException) is not yet known.
 */
@ReliabilityTest
@Disabled("Open finding, see RELIABILITY.md: some SseEmitter requests whose client hung up never complete")
class SseDisconnectTests {

    private static final AtomicLong ids = new AtomicLong(4_000_000_000L);

    @LocalServerPort
    private int port;

    @Autowired
    private Ledger ledger;

    @Test
    void everySseRequestWhoseClientHangsUpCompletesAndUnwinds() throws Exception {
        ReliabilityClient client = new ReliabilityClient(ReliabilityClient.newHttpClient(), this.port, this.ledger,
                new Figures());
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                FaultPlan plan = new FaultPlan(ids.incrementAndGet(), Kind.SSE, Special.DISCONNECT,
                        List.of(new Resource(Opener.REGISTER, false, null, null)), null, null);
                results.add(clients.submit(() -> {
                    try {
                        return client.play(plan);
                    }
                    catch (AssertionError ex) {
                        return List.of(ex.getMessage());
                    }
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> result : results) {
                problems.addAll(result.get(2, TimeUnit.MINUTES));
            }
            assertThat(problems).isEmpty();
        }
        finally {
            clients.shutdownNow();
        }
    }

}
