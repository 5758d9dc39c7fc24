package io.github.managedscopes.sample.reactive;

import java.time.Duration;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.reactive.ReactiveScopes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints whose feeds are registered on the exchange's stack and closed by it: never by the
 * handler, never twice, and also when the client hangs up.
 */
@RestController
class FeedController {

    private final FeedLog log;

    FeedController(FeedLog log) {
        this.log = log;
    }

    /** A server-sent event stream that never ends on its own: only the client's leaving ends it. */
    @GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<String> ticks(AsyncExitStack stack) {
        TickFeed feed = stack.registerAsync(new TickFeed("ticks", this.log));
        watch(stack, "GET /ticks");
        return Flux.interval(Duration.ofMillis(500)).onBackpressureDrop().map((tick) -> feed.next());
    }

    /** Two feeds found through the Reactor Context, closed last-in first-out after the body. */
    @GetMapping("/pair")
    Mono<String> pair() {
        return Mono.deferContextual((context) -> {
            AsyncExitStack stack = ReactiveScopes.currentStack(context);
            TickFeed first = stack.registerAsync(new TickFeed("first", this.log));
            TickFeed second = stack.registerAsync(new TickFeed("second", this.log));
            watch(stack, "GET /pair");
            return Mono.just(first.next() + ", " + second.next() + "\n");
        });
    }

    /** How many feeds are open and closed, and how the latest exchanges ended. */
    @GetMapping("/closed")
    FeedLog.Summary closed() {
        return this.log.summary();
    }

    private void watch(AsyncExitStack stack, String exchange) {
        stack.push((failure) -> {
            this.log.record(exchange + " ended " + ((failure != null) ? "with " + failure : "cleanly"));
            return false;
        });
    }

}
