package io.github.managedscopes.spring;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.spring.reactive.ReactiveScopes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code @ManagedScope} methods returning a {@code CompletableFuture}, {@code Mono} or
 * {@code Flux} end their scope when the result completes, fails or is cancelled, not when the
 * method returns ({@code docs/async.md}).
 */
class AsyncMethodScopesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
        .withUserConfiguration(AsyncConfiguration.class);

    @Test
    void aFutureKeepsItsScopeOpenUntilItCompletesAndCompletesAfterTheUnwind() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);
            CompletableFuture<Void> gate = new CompletableFuture<>();

            CompletableFuture<String> result = jobs.work(gate);
            result.thenRun(() -> journal.add("result completed"));
            assertThat(journal.events()).isEmpty();

            gate.complete(null);
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            await().until(() -> journal.events().contains("result completed"));
            assertThat(journal.events()).containsExactly("use job", "close job", "result completed");
            assertThat(context.getBean(Endings.class).endings).containsExactly("method false returned");
        });
    }

    @Test
    void aFailedFutureEndsTheScopeWithItsFailureInFlightAndPassesItOn() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);
            CompletableFuture<Void> gate = new CompletableFuture<>();

            CompletableFuture<String> result = jobs.failingWork(gate);
            gate.complete(null);

            Throwable thrown = catchThrowable(() -> result.get(10, TimeUnit.SECONDS));
            assertThat(thrown).isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("async failure");
            assertThat(journal.events()).containsExactly("compensate", "close job");
            assertThat(context.getBean(Endings.class).endings).containsExactly("method true threw");
        });
    }

    @Test
    void cancellingTheResultCancelsTheWorkAndEndsTheScopeWithTheCancellation() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);
            CompletableFuture<Void> gate = new CompletableFuture<>();

            CompletableFuture<String> result = jobs.work(gate);
            assertThat(result.cancel(true)).isTrue();

            journal.awaitEvent("close job");
            assertThat(gate).isNotDone();
            assertThat(journal.events()).containsExactly("close job");
            await().until(() -> !context.getBean(Endings.class).endings.isEmpty());
            assertThat(context.getBean(Endings.class).endings).containsExactly("method true cancelled");
        });
    }

    @Test
    void aMonoGetsAScopePerSubscriptionAndDeliversItsValueOnceTheScopeHasUnwound() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);
            Endings endings = context.getBean(Endings.class);

            Mono<String> result = jobs.monoWork();
            assertThat(endings.opened).isEmpty();

            StepVerifier.create(result.doOnNext((value) -> journal.add("value " + value))
                .doOnSuccess((value) -> journal.add("completed"))).expectNext("m").verifyComplete();
            StepVerifier.create(result).expectNext("m").verifyComplete();

            assertThat(journal.events()).containsExactly("use m", "close m", "value m", "completed", "use m",
                    "close m");
            assertThat(endings.opened).containsExactly("method", "method");
            assertThat(endings.endings).containsExactly("method false returned", "method false returned");
        });
    }

    @Test
    void aFluxEndsItsScopeAfterItsLastElementBeforeItsCompletion() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);

            StepVerifier.create(jobs.fluxWork().doOnComplete(() -> journal.add("completed")))
                .expectNext(1, 2, 3)
                .verifyComplete();

            assertThat(journal.events()).containsExactly("use f", "use f", "use f", "close f", "completed");
        });
    }

    @Test
    void anErrorIsInFlightWhenTheScopeEndsAndPropagatesUnlessAnExitSwallowsIt() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);

            StepVerifier.create(jobs.monoFails(false))
                .expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad"))
                .verify();
            assertThat(journal.events()).containsExactly("compensate", "close e");
            journal.clear();

            StepVerifier.create(jobs.monoFails(true)).verifyComplete();
            // the exit registered last runs first: once it swallowed the error, onFailure sees none
            assertThat(journal.events()).containsExactly("swallow", "close e");
            assertThat(context.getBean(Endings.class).endings).containsExactly("method true threw",
                    "method false threw");
        });
    }

    @Test
    void aCancelledSubscriptionEndsItsScopeWithACancellationNamingTheMethod() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);

            StepVerifier.create(jobs.endless().take(2)).expectNextCount(2).verifyComplete();

            journal.awaitEvent("close s");
            await().until(() -> context.getBean(Endings.class).endings.contains("method true cancelled"));
            assertThat(journal.exitFailures()).singleElement()
                .isInstanceOf(CancellationException.class)
                .extracting(Throwable::getMessage)
                .asString()
                .contains("@ManagedScope method 'Jobs.endless'");
        });
    }

    @Test
    void aResourceThatArrivesAfterItsScopeEndedIsClosedAtOnceAndCounted() {
        this.runner.run((context) -> {
            Resources resources = context.getBean(Resources.class);
            Journal journal = context.getBean(Journal.class);
            CompletableFuture<Void> gate = new CompletableFuture<>();
            List<CompletableFuture<Probe>> stage = new CopyOnWriteArrayList<>();

            ManagedScopes.run(() -> stage.add(resources.openLater("late", gate)));
            gate.complete(null);

            Throwable thrown = catchThrowable(() -> stage.get(0).get(10, TimeUnit.SECONDS));
            assertThat(thrown).cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Resources.openLater")
                .hasMessageContaining("ManagedScopes.run(...) scope");
            assertThat(journal.events()).containsExactly("close late");
            assertThat(context.getBean(Endings.class).late).containsExactly("Resources.openLater");
        });
    }

    @Test
    void aResourceThatArrivesInTimeIsClosedWithTheScopeOfTheCall() throws Exception {
        this.runner.run((context) -> {
            Resources resources = context.getBean(Resources.class);
            Journal journal = context.getBean(Journal.class);
            CompletableFuture<Void> gate = new CompletableFuture<>();

            ManagedScopes.run(() -> {
                CompletableFuture<Probe> opening = resources.openLater("in-time", gate);
                gate.complete(null);
                opening.get(10, TimeUnit.SECONDS).use();
                journal.add("body done");
            });

            assertThat(journal.events()).containsExactly("use in-time", "body done", "close in-time");
        });
    }

    @Test
    void aResourceEmittedAfterItsSubscriberCancelledIsClosedAndCounted() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);
            CompletableFuture<Void> gate = new CompletableFuture<>();

            Disposable subscription = jobs.openWhen(gate).subscribe();
            subscription.dispose();
            await().until(() -> context.getBean(Endings.class).endings.contains("method true cancelled"));
            gate.complete(null);

            journal.awaitEvent("close slow");
            assertThat(journal.events()).containsExactly("close slow");
            assertThat(context.getBean(Endings.class).late).containsExactly("Resources.openMonoWhen");
        });
    }

    @Test
    void anAsyncCloseableValueIsAwaitedByTheReactiveScope() {
        this.runner.run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            Journal journal = context.getBean(Journal.class);

            StepVerifier.create(jobs.asyncCloseable().doOnSuccess((value) -> journal.add("completed")))
                .expectNext("a")
                .verifyComplete();

            assertThat(journal.events()).containsExactly("close async a", "completed");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class AsyncConfiguration {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Endings endings() {
            return new Endings();
        }

        @Bean
        Resources resources(Journal journal) {
            return new Resources(journal);
        }

        @Bean
        Jobs jobs(Resources resources, Journal journal) {
            return new Jobs(resources, journal);
        }

    }

    /** Records the scopes opened and how they ended, and late registrations. */
    static class Endings implements ScopeListener, ExitStackListener {

        final List<String> opened = new CopyOnWriteArrayList<>();

        final List<String> endings = new CopyOnWriteArrayList<>();

        final List<String> late = new CopyOnWriteArrayList<>();

        @Override
        public OpenScopeListener scopeOpened(String kind) {
            this.opened.add(kind);
            return new OpenScopeListener() {

                @Override
                public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
                    Endings.this.endings.add(kind + " " + failed + " " + ending.tagValue());
                }

                @Override
                public void lateRegistration(String name) {
                    Endings.this.late.add(name);
                }

            };
        }

        @Override
        public void lateRegistration(String name) {
            this.late.add(name);
        }

    }

    static class Resources {

        private final Journal journal;

        Resources(Journal journal) {
            this.journal = journal;
        }

        @ManagedResource
        public Probe open(String name) {
            return new Probe(name, this.journal);
        }

        @ManagedResource
        public CompletableFuture<Probe> openLater(String name, CompletableFuture<Void> gate) {
            return gate.thenApplyAsync((ignored) -> new Probe(name, this.journal));
        }

        @ManagedResource
        public Mono<Probe> openMono(String name) {
            return Mono.fromSupplier(() -> new Probe(name, this.journal));
        }

        @ManagedResource
        public Mono<Probe> openMonoWhen(CompletableFuture<Void> gate) {
            // a source that produces its value whatever its subscriber does meanwhile
            return Mono.create((sink) -> gate.thenRun(() -> sink.success(new Probe("slow", this.journal))));
        }

        @ManagedResource
        public Mono<AsyncProbe> openAsyncMono(String name) {
            return Mono.fromSupplier(() -> new AsyncProbe(name, this.journal));
        }

    }

    record AsyncProbe(String name, Journal journal) implements io.github.managedscopes.AsyncCloseable {

        @Override
        public CompletableFuture<?> closeAsync() {
            return CompletableFuture.runAsync(() -> this.journal.add("close async " + this.name));
        }

    }

    static class Jobs {

        private final Resources resources;

        private final Journal journal;

        Jobs(Resources resources, Journal journal) {
            this.resources = resources;
            this.journal = journal;
        }

        @ManagedScope
        public CompletableFuture<String> work(CompletableFuture<Void> gate) {
            Probe probe = this.resources.open("job");
            return gate.thenApplyAsync((ignored) -> {
                probe.use();
                return "done";
            });
        }

        @ManagedScope
        public CompletableFuture<String> failingWork(CompletableFuture<Void> gate) {
            this.resources.open("job");
            ManagedScopes.current().onFailure(() -> this.journal.add("compensate"));
            return gate.thenApplyAsync((ignored) -> {
                throw new IllegalStateException("async failure");
            });
        }

        @ManagedScope
        public Mono<String> monoWork() {
            return this.resources.openMono("m").map((probe) -> {
                probe.use();
                return "m";
            });
        }

        @ManagedScope
        public Flux<Integer> fluxWork() {
            return this.resources.openMono("f")
                .flatMapMany((probe) -> Flux.range(1, 3).doOnNext((i) -> probe.use()));
        }

        @ManagedScope
        public Mono<String> monoFails(boolean swallow) {
            return this.resources.openMono("e").flatMap((probe) -> Mono.deferContextual((context) -> {
                AsyncExitStack stack = stackOf(context);
                stack.onFailure(() -> this.journal.add("compensate"));
                stack.push((failure) -> {
                    if (swallow) {
                        this.journal.add("swallow");
                    }
                    return swallow;
                });
                return Mono.error(new IllegalArgumentException("bad"));
            }));
        }

        @ManagedScope
        public Flux<Long> endless() {
            return this.resources.openMono("s").flatMapMany((probe) -> Flux.deferContextual((context) -> {
                stackOf(context).push((failure) -> {
                    this.journal.exitSaw(failure);
                    return false;
                });
                return Flux.interval(java.time.Duration.ofMillis(1));
            }));
        }

        @ManagedScope
        public Mono<Probe> openWhen(CompletableFuture<Void> gate) {
            return this.resources.openMonoWhen(gate);
        }

        @ManagedScope
        public Mono<String> asyncCloseable() {
            return this.resources.openAsyncMono("a").map(AsyncProbe::name);
        }

        private static AsyncExitStack stackOf(reactor.util.context.ContextView context) {
            @Nullable AsyncExitStack stack = ReactiveScopes.currentStack(context);
            assertThat(stack).as("the scope's stack in the Reactor context").isNotNull();
            return stack;
        }

    }

}
