package io.github.managedscopes.reliability.reactive;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.reliability.reactive.Probes.AsyncProbe;
import io.github.managedscopes.reliability.reactive.Probes.ManagedProbes;
import io.github.managedscopes.reliability.reactive.Probes.ProbeContext;
import io.github.managedscopes.reliability.reactive.Probes.SyncProbe;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Resource;
import io.github.managedscopes.spring.reactive.ReactiveScopes;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.web.server.ServerWebExchange;

/**
 * A plan being played by an endpoint: {@link #start} attaches the scope to the request's
 * record, pushes the outermost exit (which records the failure in flight at the very end of
 * the unwind) and opens the handler method's resources; {@link #pipeline} opens the rest
 * from the returned pipeline, each on another thread, finding the stack in the Reactor
 * {@code Context}; {@link #fault} is the pipeline's own failure.
 */
final class Play {

    final ReactiveRecord record;

    private final AsyncExitStack stack;

    private final Scheduler workers;

    private final Executor executor;

    private final ManagedProbes managed;

    /** What an opener of the handler method failed with, or {@code null}. */
    final @Nullable Throwable failure;

    private Play(ReactiveRecord record, AsyncExitStack stack, Scheduler workers, ManagedProbes managed) {
        this.record = record;
        this.stack = stack;
        this.workers = workers;
        this.executor = workers::schedule;
        this.managed = managed;
        this.failure = openHandlerResources();
    }

    static Play start(ServerWebExchange exchange, AsyncExitStack stack, Scheduler workers, ManagedProbes managed) {
        ReactiveRecord record = exchange.getRequiredAttribute(ReactiveFaultApplication.RECORD);
        ReactiveLedger.ScopeProbe probe = ReactiveLedger.takeOpenedScope();
        if (probe == null) {
            record.problems.add("the handler's AsyncExitStack parameter did not open the exchange's scope");
        }
        else {
            probe.record = record;
        }
        stack.pushAsync((failure) -> {
            record.exitSaw(failure);
            return CompletableFuture.completedFuture(false);
        });
        return new Play(record, stack, workers, managed);
    }

    private @Nullable Throwable openHandlerResources() {
        List<Resource> resources = this.record.plan.resources();
        for (int i = 0; i < resources.size(); i++) {
            if (!resources.get(i).inPipeline()) {
                try {
                    openNow(i, resources.get(i));
                }
                catch (Throwable ex) {
                    return ex;
                }
            }
        }
        return null;
    }

    private void openNow(int index, Resource resource) {
        switch (resource.opener()) {
            case SYNC -> {
                this.record.entering(index);
                this.stack.register(new SyncProbe(this.record, index), "rx.sync");
            }
            case ASYNC -> {
                this.record.entering(index);
                this.stack.registerAsync(new AsyncProbe(this.record, index, this.executor), "rx.async");
            }
            case CONTEXT -> {
                // Entering completes at once here: the handler method does not block.
                Throwable failed = this.stack.enterAsyncContext(new ProbeContext(this.record, index, null))
                    .toCompletableFuture()
                    .handle((entered, failure) -> failure)
                    .getNow(null);
                if (failed != null) {
                    throw Faults.<RuntimeException>sneakyThrow(failed);
                }
            }
            case MANAGED -> throw new IllegalStateException("a @ManagedResource Mono opens in the pipeline only");
        }
        this.record.opened(index);
    }

    /** Opens the pipeline's resources in order, each on another thread; stops at the first that fails. */
    Mono<Void> pipeline() {
        List<Resource> resources = this.record.plan.resources();
        return Flux.fromStream(IntStream.range(0, resources.size()).boxed())
            .filter((index) -> resources.get(index).inPipeline())
            .concatMap((index) -> openLater(index, resources.get(index)))
            .then();
    }

    private Mono<Void> openLater(int index, Resource resource) {
        Mono<Void> opening = Mono.deferContextual((context) -> {
            AsyncExitStack found = ReactiveScopes.currentStack(context);
            if (found != this.stack) {
                this.record.problems.add("the Reactor context held " + found + " instead of the exchange's stack");
            }
            return switch (resource.opener()) {
                case SYNC, ASYNC -> Mono.fromRunnable(() -> openNow(index, resource))
                    .subscribeOn(this.workers)
                    .then();
                case CONTEXT -> Mono
                    .fromCompletionStage(() -> this.stack
                        .enterAsyncContext(new ProbeContext(this.record, index, this.executor)))
                    .doOnNext((entered) -> this.record.opened(index))
                    .then();
                case MANAGED -> this.managed.open(this.record, index).doOnNext((probe) -> this.record.opened(index))
                    .then();
            };
        });
        return opening;
    }

    /** The pipeline's own planned failure, created when subscribed to, or nothing. */
    <T> Flux<T> fault() {
        return Flux.defer(() -> {
            Throwable fault = this.record.fault(this.record.plan.body(), "body");
            return (fault != null) ? Flux.error(fault) : Flux.empty();
        });
    }

}
