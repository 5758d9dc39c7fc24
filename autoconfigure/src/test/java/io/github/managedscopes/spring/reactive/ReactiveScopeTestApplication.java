package io.github.managedscopes.spring.reactive;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.ManagedResource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * A reactive web application with one endpoint per shape of response, each registering probes
 * on its exchange's stack.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ReactiveScopeTestApplication.ScopeController.class)
class ReactiveScopeTestApplication {

    @Bean
    ReactiveJournal reactiveJournal() {
        return new ReactiveJournal();
    }

    @Bean
    Connections connections(ReactiveJournal journal) {
        return new Connections(journal);
    }

    /**
     * Functional endpoints, which no handler adapter decorator sees: they find the stack in the
     * Reactor Context only.
     */
    @Bean
    RouterFunction<ServerResponse> functionalEndpoints(ReactiveJournal journal) {
        return RouterFunctions.route()
            .GET("/functional/attribute", (request) -> Mono.deferContextual((context) -> {
                AsyncExitStack stack = ReactiveScopes.currentStack(context);
                journal.watch(stack, "f");
                Object attribute = request.exchange().getAttribute(ExchangeScopes.STACK_ATTRIBUTE);
                return ServerResponse.ok().bodyValue(String.valueOf(stack != null && attribute == stack));
            }))
            .GET("/functional/error", (request) -> Mono.deferContextual((context) -> {
                journal.watch(ReactiveScopes.currentStack(context), "f");
                return Mono.error(new IllegalStateException("functional endpoint failed"));
            }))
            .build();
    }

    /**
     * A service whose {@code @ManagedResource} method returns a {@code Mono}: its value is
     * registered on the exchange's stack, found through the Reactor Context, when it arrives.
     */
    static class Connections {

        private final ReactiveJournal journal;

        Connections(ReactiveJournal journal) {
            this.journal = journal;
        }

        @ManagedResource(name = "test.connection")
        public Mono<Connection> open(String name, CompletableFuture<Void> ready) {
            // Opened when it is ready, which may be after the caller cancelled.
            return Mono.fromFuture(ready.thenApply((nothing) -> new Connection(name, this.journal)), true);
        }

    }

    /**
     * A connection that writes its close in the journal.
     */
    static final class Connection implements AutoCloseable {

        final String name;

        private final ReactiveJournal journal;

        Connection(String name, ReactiveJournal journal) {
            this.name = name;
            this.journal = journal;
        }

        @Override
        public void close() {
            this.journal.add("closed " + this.name);
        }

    }

    @RestController
    static class ScopeController {

        private final ReactiveJournal journal;

        /** Released by a test to let the close of the slow endpoint's probe complete. */
        final AtomicReference<CompletableFuture<Void>> release = new AtomicReference<>(new CompletableFuture<>());

        /** Released by a test to let the late endpoint's resource arrive. */
        final AtomicReference<CompletableFuture<Void>> arrival = new AtomicReference<>(new CompletableFuture<>());

        /** The stack of the last exchange that asked to have it captured. */
        final AtomicReference<AsyncExitStack> captured = new AtomicReference<>();

        private final Connections connections;

        ScopeController(ReactiveJournal journal, Connections connections) {
            this.journal = journal;
            this.connections = connections;
        }

        @GetMapping("/managed")
        Mono<String> managed() {
            return this.connections.open("connection", CompletableFuture.completedFuture(null))
                .map((connection) -> "using " + connection.name);
        }

        @GetMapping("/managed-late")
        Mono<String> managedLate() {
            return Mono.deferContextual((context) -> {
                this.journal.watch(ReactiveScopes.currentStack(context));
                this.journal.add("watching");
                return this.connections.open("late connection", this.arrival.get())
                    .map((connection) -> "using " + connection.name);
            });
        }

        @GetMapping("/mono")
        Mono<String> mono(AsyncExitStack stack) {
            this.journal.watch(stack, "a", "b");
            return Mono.delay(Duration.ofMillis(5)).map((tick) -> "mono body").doOnSuccess((body) -> this.journal
                .add("body ready"));
        }

        @GetMapping("/flux")
        Flux<String> flux() {
            return Flux.deferContextual((context) -> {
                AsyncExitStack stack = ReactiveScopes.currentStack(context);
                this.journal.watch(stack, "a", "b", "c");
                return Flux.just("1", "2", "3").map((item) -> item + "\n");
            }).doOnComplete(() -> this.journal.add("body complete"));
        }

        @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<String> sse(AsyncExitStack stack) {
            this.journal.watch(stack, "stream");
            return Flux.interval(Duration.ofMillis(20)).onBackpressureDrop().map((tick) -> "tick " + tick);
        }

        @GetMapping(path = "/sse/finite", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<String> finiteSse(AsyncExitStack stack) {
            this.journal.watch(stack, "a", "b");
            return Flux.range(0, 3)
                .delayElements(Duration.ofMillis(5))
                .map((tick) -> "tick " + tick)
                .doOnComplete(() -> this.journal.add("body complete"));
        }

        @GetMapping("/untouched")
        Mono<String> untouched() {
            return Mono.just("nothing used");
        }

        @GetMapping("/empty")
        Mono<String> empty(AsyncExitStack stack) {
            this.captured.set(stack);
            return Mono.just("opened, nothing registered");
        }

        @GetMapping("/slow-close")
        Mono<String> slowClose(AsyncExitStack stack) {
            stack.registerAsync(this.journal.blockingProbe("slow", this.release.get()));
            return Mono.just("written before the close completes");
        }

        @GetMapping("/error")
        Mono<String> error(AsyncExitStack stack) {
            this.journal.watch(stack, "a");
            return Mono.delay(Duration.ofMillis(5)).then(Mono.error(new IllegalStateException("pipeline failed")));
        }

        @GetMapping("/handled")
        Mono<String> handled(AsyncExitStack stack) {
            this.journal.watch(stack, "a");
            return Mono.delay(Duration.ofMillis(5)).then(Mono.error(new HandledException()));
        }

        @GetMapping("/late")
        Mono<String> late(AsyncExitStack stack) {
            this.journal.watch(stack, "first");
            this.journal.add("watching");
            CompletableFuture<Void> arrived = this.arrival.get();
            arrived.thenRun(() -> {
                try {
                    stack.registerAsync(this.journal.probe("late"));
                    this.journal.add("late registered");
                }
                catch (IllegalStateException ex) {
                    this.journal.add("late refused: " + ex.getMessage());
                }
            });
            return Mono.never();
        }

        @GetMapping("/exchange-attribute")
        Mono<String> exchangeAttribute(AsyncExitStack stack, ServerWebExchange exchange) {
            return Mono.just(String.valueOf(exchange.getAttribute(ExchangeScopes.STACK_ATTRIBUTE) == stack));
        }

        @ExceptionHandler(HandledException.class)
        ResponseEntity<String> onHandled(HandledException ex) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body("handled");
        }

    }

    static final class HandledException extends RuntimeException {

        HandledException() {
            super("handled by an @ExceptionHandler");
        }

    }

}
