package io.github.managedscopes.spring.reactive;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.managedscopes.AsyncExitStack;
import io.github.managedscopes.spring.ManagedScopesListeners;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
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
