package io.github.managedscopes.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.ContextManagers;
import io.github.managedscopes.ExitStack;
import io.github.managedscopes.reliability.FaultPlan.Kind;
import io.github.managedscopes.reliability.FaultPlan.Opener;
import io.github.managedscopes.reliability.FaultPlan.Resource;
import io.github.managedscopes.reliability.FaultPlan.Special;
import io.github.managedscopes.reliability.Faults.InjectedError;
import io.github.managedscopes.reliability.Faults.Type;
import io.github.managedscopes.spring.Lease;
import io.github.managedscopes.spring.ManagedScopes;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Bad input, each answered with the documented error and nothing left open afterwards:
 * {@code null} registrations, registrations and leases after a scope ended, {@code current()}
 * outside any scope, exits that throw errors, a close that blocks (while other requests
 * unwind), and interrupted threads. Misused {@code @ManagedResource} methods failing at
 * start-up are covered by {@code ManagedResourceTests}.
 */
@ReliabilityTest
class BadInputTests {

    private static final AtomicLong ids = new AtomicLong(3_000_000_000L);

    private final HttpClient http = ReliabilityClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private Ledger ledger;

    @Autowired
    private MeterRegistry registry;

    @AfterEach
    void leavesNothingOpen() {
        Meters meters = new Meters(this.registry);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.open()).as("managedscopes.resources.open").isZero();
            assertThat(meters.activeScopes()).as("managedscopes.scopes.active").isZero();
        });
    }

    @Test
    void nullRegistrationsFailAtOnceNamingTheArgumentAndANullManagedResourcePassesThrough() throws Exception {
        HttpResponse<String> response = get("/bad/null");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().split("\n")).containsExactly("'resource' must not be null",
                "'resource' must not be null", "'exit' must not be null", "'cleanup' must not be null",
                "'compensation' must not be null", "'action' must not be null", "'manager' must not be null",
                "managed null returns null, size 1");
    }

    @Test
    void registeringOrLeasingAfterAScopeEndedIsRefusedAndTheResourceClosedAtOnce() throws Exception {
        ExitStack ended = ManagedScopes.call(ManagedScopes::current);
        AtomicInteger closes = new AtomicInteger();
        assertThatIllegalStateException().isThrownBy(() -> ended.register(closes::incrementAndGet, "bad.late"))
            .withMessage("Cannot register 'bad.late' on a ManagedScopes.call(...) scope: the scope has ended and "
                    + "its stack was unwound, so it was closed at once. Register resources while the scope is "
                    + "active, or keep the scope open until the work ends.");
        assertThat(closes).hasValue(1);
        Lease lease = ManagedScopes.call(ManagedScopes::lease);
        lease.close();
        assertThatIllegalStateException().isThrownBy(() -> lease.scope().lease())
            .withMessageStartingWith("Cannot take a lease on a ManagedScopes.call(...) scope: it has already ended.");
        playAll(List.of(plan(Kind.SYNC, Special.LATE, null, res(Type.RUNTIME))));
    }

    @Test
    void currentOutsideAnyScopeSaysHowToOpenOne() throws Exception {
        String reactive = ". In a reactive pipeline (a WebFlux exchange, a @ManagedScope method returning Mono or "
                + "Flux) the scope lives in the Reactor context, not on a thread: take the handler's AsyncExitStack "
                + "parameter or ReactiveScopes.currentStack(context).";
        assertThatIllegalStateException().isThrownBy(ManagedScopes::current)
            .withMessage("No managed scope is active on thread '" + Thread.currentThread().getName()
                    + "'; call ManagedScopes.run(...) or annotate the method with @ManagedScope" + reactive);
        assertThat(get("/bad/outside").body()).isEqualTo("No managed scope is active on thread 'unpropagated'; call "
                + "ManagedScopes.run(...) or annotate the method with @ManagedScope" + reactive);
    }

    @Test
    void exitsThatThrowErrorsAreAttachedOrBecomePrimaryAndNothingIsLost() {
        InjectedError outer = new InjectedError("outer exit");
        OutOfMemoryError fatal = new OutOfMemoryError("injected by the suite");
        InjectedError close = new InjectedError("close");
        IllegalStateException body = new IllegalStateException("body");
        Throwable thrown = catchThrowable(() -> ManagedScopes.run(() -> {
            ExitStack stack = ManagedScopes.current();
            stack.push((failure) -> {
                throw outer;
            });
            stack.push((failure) -> {
                throw fatal;
            });
            stack.register(() -> {
                throw close;
            }, "bad.error");
            throw body;
        }));
        // The VirtualMachineError becomes primary, carrying the body's failure; the rest is attached.
        assertThat(thrown).isSameAs(fatal);
        assertThat(fatal.getSuppressed()).containsExactly(body, outer);
        assertThat(body.getSuppressed()).containsExactly(close);
        InjectedError alone = new InjectedError("alone");
        assertThat(catchThrowable(() -> ManagedScopes.run(() -> ManagedScopes.current().register(() -> {
            throw alone;
        }, "bad.error")))).isSameAs(alone);
    }

    @Test
    void aCloseThatBlocksHoldsUpNoOtherRequestsUnwind() throws Exception {
        BadInputController.release = new CountDownLatch(1);
        BadInputController.closing = new CountDownLatch(1);
        BadInputController.closed.set(false);
        // A connection of its own: a keep-alive connection serves one request at a time, so a
        // request sent on the blocked one would wait for that thread whatever the library did.
        CompletableFuture<HttpResponse<String>> blocked = ReliabilityClient.newHttpClient()
            .sendAsync(request("/bad/block"), HttpResponse.BodyHandlers.ofString());
        try {
            assertThat(BadInputController.closing.await(10, TimeUnit.SECONDS)).as("the blocking close started").isTrue();
            List<FaultPlan> plans = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                plans.add(plan(Kind.values()[i % Kind.values().length], Special.NONE, (i % 3 == 0) ? Type.RUNTIME : null,
                        res(Type.CHECKED), new Resource(Opener.CONTEXT, false, null, null)));
            }
            playAll(plans);
            assertThat(BadInputController.closed).as("the blocking close returned").isFalse();
            assertThat(new Meters(this.registry).open()).as("only the blocked resource is open").isEqualTo(1);
        }
        finally {
            BadInputController.release.countDown();
        }
        assertThat(blocked.get(10, TimeUnit.SECONDS).body()).isEqualTo("blocking");
        await().atMost(Duration.ofSeconds(10)).untilTrue(BadInputController.closed);
    }

    @Test
    void anInterruptedExceptionFromACloseSetsTheInterruptFlagAgainWhereverItEndsUp() throws Exception {
        InterruptedException interrupted = new InterruptedException("close interrupted");
        Throwable thrown = catchThrowable(() -> ManagedScopes.run(() -> {
            ManagedScopes.current().register(() -> {
                throw interrupted;
            }, "bad.interrupted");
            throw new IllegalStateException("body");
        }));
        assertThat(Thread.interrupted()).as("flag set after an attached InterruptedException").isTrue();
        assertThat(thrown.getSuppressed()).containsExactly(interrupted);
        ManagedScopes.run(() -> {
            ManagedScopes.current().enterContext(ContextManagers.suppress(InterruptedException.class));
            throw new InterruptedException("swallowed");
        });
        assertThat(Thread.interrupted()).as("flag set after a swallowed InterruptedException").isTrue();
        List<FaultPlan> plans = new ArrayList<>();
        for (Kind kind : List.of(Kind.SYNC, Kind.CALLABLE, Kind.DEFERRED)) {
            plans.add(plan(kind, Special.NONE, Type.RUNTIME, res(Type.INTERRUPTED)));
            plans.add(plan(kind, Special.NONE, null, res(null), res(Type.INTERRUPTED)));
        }
        playAll(plans);
    }

    private void playAll(List<FaultPlan> plans) throws Exception {
        ReliabilityClient client = new ReliabilityClient(this.http, this.port, this.ledger, new Figures());
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (FaultPlan plan : plans) {
                results.add(executor.submit(() -> {
                    try {
                        return client.play(plan);
                    }
                    catch (IOException | AssertionError ex) {
                        return List.of(plan.encode() + ": " + ex);
                    }
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> result : results) {
                problems.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(problems).as("requests whose observed behaviour differs from their plan").isEmpty();
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static FaultPlan plan(Kind kind, Special special, @Nullable Type body, Resource... resources) {
        return new FaultPlan(ids.incrementAndGet(), kind, special, List.of(resources), null, body);
    }

    private static Resource res(@Nullable Type closeFault) {
        return new Resource(Opener.REGISTER, false, null, closeFault);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return this.http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
            .timeout(Duration.ofSeconds(60))
            .build();
    }

}
