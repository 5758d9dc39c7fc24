package io.github.managedscopes.reliability.reactive;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.github.managedscopes.AsyncCloseable;
import io.github.managedscopes.AsyncContextManager;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.reliability.Faults.SwallowedCloseException;
import io.github.managedscopes.spring.ManagedResource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The resources the reactive variant registers on an exchange's stack. Each records the
 * start and the end of its close and fails as its plan says: synchronously, or with a stage
 * that another thread completes later.
 */
final class Probes {

    private Probes() {
    }

    /** An {@code AutoCloseable} whose close throws its planned fault. */
    record SyncProbe(ReactiveRecord record, int index) implements AutoCloseable {

        @Override
        public void close() {
            this.record.closeStarted(this.index);
            Throwable fault = this.record.closeDone(this.index);
            if (fault != null) {
                throw Faults.<RuntimeException>sneakyThrow(fault);
            }
        }

    }

    /** An {@code AsyncCloseable} whose close stage another thread completes, failed if planned. */
    record AsyncProbe(ReactiveRecord record, int index, Executor workers) implements AsyncCloseable {

        @Override
        public CompletionStage<?> closeAsync() {
            this.record.closeStarted(this.index);
            CompletableFuture<@Nullable Void> closed = new CompletableFuture<>();
            this.workers.execute(() -> complete(closed, this.record.closeDone(this.index), null));
            return closed;
        }

    }

    /**
     * An asynchronous context manager: entering completes on another thread (or at once, in
     * the handler method), failed if planned; its exit records what it was handed and
     * completes on another thread, failed if planned, never swallowing.
     */
    record ProbeContext(ReactiveRecord record, int index, @Nullable Executor workers)
            implements AsyncContextManager<ProbeContext> {

        @Override
        public CompletionStage<ProbeContext> enterAsync() {
            CompletableFuture<ProbeContext> entered = new CompletableFuture<>();
            Runnable enter = () -> {
                try {
                    this.record.entering(this.index);
                    entered.complete(this);
                }
                catch (Throwable ex) {
                    entered.completeExceptionally(ex);
                }
            };
            if (this.workers != null) {
                this.workers.execute(enter);
            }
            else {
                enter.run();
            }
            return entered;
        }

        @Override
        public CompletionStage<Boolean> exitAsync(@Nullable Throwable failure) {
            this.record.contextSaw.put(this.index, ReactiveExpectation.describe(failure));
            this.record.closeStarted(this.index);
            CompletableFuture<Boolean> exited = new CompletableFuture<>();
            Executor executor = (this.workers != null) ? this.workers : Runnable::run;
            executor.execute(() -> complete(exited, this.record.closeDone(this.index), false));
            return exited;
        }

    }

    private static <T> void complete(CompletableFuture<T> stage, @Nullable Throwable fault, T value) {
        if (fault != null) {
            stage.completeExceptionally(fault);
        }
        else {
            stage.complete(value);
        }
    }

    /** A service whose {@code @ManagedResource} method returns a {@code Mono} of a resource, which arrives on another thread. */
    static class ManagedProbes {

        private final Scheduler workers;

        ManagedProbes(Scheduler reactiveWorkers) {
            this.workers = reactiveWorkers;
        }

        @ManagedResource(name = "rx.managed", suppress = SwallowedCloseException.class)
        public Mono<SyncProbe> open(ReactiveRecord record, int index) {
            return Mono.fromCallable(() -> {
                record.entering(index);
                return new SyncProbe(record, index);
            }).subscribeOn(this.workers);
        }

    }

}
