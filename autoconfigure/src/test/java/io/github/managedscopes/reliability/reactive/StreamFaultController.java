package io.github.managedscopes.reliability.reactive;

import java.time.Duration;
import java.util.function.Function;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.reliability.reactive.Probes.ManagedProbes;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The streaming endpoints, a {@code Flux} of text lines and a {@code Flux} of server-sent
 * events: each plays its plan and emits its elements, then completes or fails mid-stream as
 * planned; an opener's failure is thrown from the handler method. Nothing here handles a
 * failure: it reaches the {@code WebExceptionHandler}s. A disconnect plan's stream emits a
 * 1 KB element every 2 ms until its client hangs up (ten seconds at most).
 */
@RestController
class StreamFaultController {

    static final int STREAM_ELEMENTS = 5_000;

    private static final String CHUNK = "x".repeat(1024);

    private final Scheduler workers;

    private final ManagedProbes managed;

    StreamFaultController(Scheduler reactiveWorkers, ManagedProbes managed) {
        this.workers = reactiveWorkers;
        this.managed = managed;
    }

    @GetMapping(path = "/rx/flux", produces = MediaType.TEXT_PLAIN_VALUE)
    Flux<String> flux(ServerWebExchange exchange, AsyncExitStack stack) {
        return play(exchange, stack, (line) -> line + "\n");
    }

    @GetMapping(path = "/rx/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> sse(ServerWebExchange exchange, AsyncExitStack stack) {
        return play(exchange, stack, (line) -> ServerSentEvent.builder(line).build());
    }

    private <T> Flux<T> play(ServerWebExchange exchange, AsyncExitStack stack, Function<String, T> element) {
        Play play = Play.start(exchange, stack, this.workers, this.managed);
        if (play.failure != null) {
            throw Faults.<RuntimeException>sneakyThrow(play.failure);
        }
        ReactiveRecord record = play.record;
        if (record.plan.disconnect()) {
            // delayElements waits for demand: a client that stops reading holds the producer back.
            return play.pipeline().thenMany(Flux.range(0, STREAM_ELEMENTS)
                .delayElements(Duration.ofMillis(2), this.workers)
                .map((tick) -> {
                    record.producing();
                    return element.apply(CHUNK);
                }));
        }
        return play.pipeline()
            .thenMany(Flux.range(0, record.plan.elements()).publishOn(this.workers))
            .map((index) -> element.apply("line " + index))
            .concatWith(play.fault());
    }

}
