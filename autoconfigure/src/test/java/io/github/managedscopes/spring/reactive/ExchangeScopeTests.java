package io.github.managedscopes.spring.reactive;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.util.context.Context;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * One exchange's scope, subscribed to as Spring's filter chain does: an exchange that never
 * asks for its context costs no Reactor {@code Context}, and one that does finds its stack
 * there, on top of what the server's context carries (see {@code docs/webflux.md}).
 */
class ExchangeScopeTests {

    private final ExchangeScopes scopes = new ExchangeScopes(ManagedScopesListeners.NONE, null);

    private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders"));

    private final ReactiveJournal journal = new ReactiveJournal();

    @Test
    void anExchangeWhosePipelineNeverAsksForTheContextBuildsNone() {
        ServerSubscriber server = new ServerSubscriber();

        this.scopes.filter(this.exchange, (exchange) -> Mono.empty()).subscribe(server);

        assertThat(server.completed).isTrue();
        assertThat(server.contextRequests).hasValue(0);
        assertThat(this.exchange.getAttributes()).doesNotContainKey(ExchangeScopes.STACK_ATTRIBUTE);
    }

    @Test
    void aPipelineThatAsksFindsTheStackOnTopOfTheServersContext() {
        ServerSubscriber server = new ServerSubscriber();
        List<Object> seen = new CopyOnWriteArrayList<>();
        WebFilterChain chain = (exchange) -> Mono.deferContextual((context) -> {
            AsyncExitStack stack = ReactiveScopes.currentStack(context);
            this.journal.watch(stack, "a");
            seen.add(stack);
            seen.add(context.get("server"));
            return Mono.empty();
        });

        this.scopes.filter(this.exchange, chain).subscribe(server);

        assertThat(server.contextRequests).hasValue(1);
        assertThat(seen).hasSize(2).element(1).isEqualTo("netty");
        assertThat(this.exchange.getAttributes()).containsEntry(ExchangeScopes.STACK_ATTRIBUTE, seen.get(0));
        assertThat(this.journal.events()).containsExactly("closed a", "exit saw nothing");
    }

    @Test
    void eachSubscriptionGetsAScopeOfItsOwnUnwoundOnce() {
        List<AsyncExitStack> stacks = new CopyOnWriteArrayList<>();
        Mono<Void> scoped = this.scopes.filter(this.exchange, (exchange) -> Mono.deferContextual((context) -> {
            AsyncExitStack stack = ReactiveScopes.currentStack(context);
            this.journal.watch(stack, "probe " + stacks.size());
            stacks.add(stack);
            return Mono.empty();
        }));

        scoped.block();
        scoped.block();

        assertThat(stacks).hasSize(2).doesNotHaveDuplicates();
        assertThat(this.journal.events()).containsExactly("closed probe 0", "exit saw nothing", "closed probe 1",
                "exit saw nothing");
        assertThat(stacks).allSatisfy((stack) -> assertThatIllegalStateException()
            .isThrownBy(() -> stack.registerAsync(this.journal.probe("late"))));
    }

    @Test
    void aCancelledExchangeEndsWithTheClientGoneInFlight() {
        Disposable subscription = this.scopes.filter(this.exchange, (exchange) -> Mono.deferContextual((context) -> {
            this.journal.watch(ReactiveScopes.currentStack(context), "a");
            return Mono.never();
        })).subscribe();

        subscription.dispose();

        assertThat(this.journal.events()).containsExactly("closed a", "exit saw CancellationException");
        assertThat(this.journal.lastExitFailure()).isInstanceOf(CancellationException.class)
            .hasMessage("The client went away before the response to GET /orders was complete");
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aServerWriteThatFailedForTheClientsLeavingEndsTheScopeAsADisconnect(Throwable failure, ScopeEnding ending) {
        List<ScopeEnding> endings = new CopyOnWriteArrayList<>();
        ScopeListener recording = (kind) -> new OpenScopeListener() {
            @Override
            public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding scopeEnding) {
                assertThat(failed).isTrue();
                endings.add(scopeEnding);
            }
        };
        ExchangeScopes recorded = new ExchangeScopes(new ManagedScopesListeners(List.of(), List.of(recording)), null);

        recorded.filter(this.exchange, (exchange) -> Mono.deferContextual((context) -> {
            this.journal.watch(ReactiveScopes.currentStack(context), "a");
            return Mono.error(failure);
        })).onErrorComplete().block();

        assertThat(this.journal.events()).containsExactly("closed a", "exit saw " + failure.getClass().getSimpleName());
        assertThat(endings).containsExactly(ending);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new AbortedException("Connection has been closed BEFORE send operation"),
                        ScopeEnding.DISCONNECT),
                Arguments.of(new IOException("sendAddress(..) failed with error(-104): Connection reset by peer"),
                        ScopeEnding.DISCONNECT),
                Arguments.of(new IOException("Broken pipe"), ScopeEnding.DISCONNECT),
                Arguments.of(new IOException("No space left on device"), ScopeEnding.ERROR),
                Arguments.of(new IllegalStateException("the handler failed"), ScopeEnding.ERROR));
    }

    /** The server's subscriber, as Reactor Netty's: it has a context of its own and counts who asks for it. */
    private static final class ServerSubscriber implements CoreSubscriber<Void> {

        final AtomicInteger contextRequests = new AtomicInteger();

        volatile boolean completed;

        @Override
        public Context currentContext() {
            this.contextRequests.incrementAndGet();
            return Context.of("server", "netty");
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Void value) {
        }

        @Override
        public void onError(Throwable error) {
        }

        @Override
        public void onComplete() {
            this.completed = true;
        }

    }

}
