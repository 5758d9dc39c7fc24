package io.github.managedscopes.reliability.reactive;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.reliability.reactive.Probes.ManagedProbes;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@code Mono} endpoint: plays its plan and answers "ok", or returns its failure as
 * {@code Mono.error} (as reactive handlers should), which this controller's
 * {@code @ExceptionHandler} turns into a 500 response whose body is the failure's message.
 */
@RestController
class MonoFaultController {

    private final Scheduler workers;

    private final ManagedProbes managed;

    MonoFaultController(Scheduler reactiveWorkers, ManagedProbes managed) {
        this.workers = reactiveWorkers;
        this.managed = managed;
    }

    @GetMapping("/rx/mono")
    Mono<String> mono(ServerWebExchange exchange, AsyncExitStack stack) {
        Play play = Play.start(exchange, stack, this.workers, this.managed);
        if (play.failure != null) {
            return Mono.error(play.failure);
        }
        return play.pipeline().publishOn(this.workers).thenMany(play.<String>fault()).then(Mono.just("ok"));
    }

    @ExceptionHandler(Throwable.class)
    ResponseEntity<String> handle(Throwable failure, ServerWebExchange exchange) {
        if (exchange.getAttribute(ReactiveFaultApplication.RECORD) instanceof ReactiveRecord record) {
            record.handlerSaw(failure);
        }
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(String.valueOf(failure.getMessage()));
    }

}
