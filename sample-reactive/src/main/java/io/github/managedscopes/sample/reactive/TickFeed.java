package io.github.managedscopes.sample.reactive;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.github.managedscopes.AsyncCloseable;

/**
 * A feed of ticks that stands for anything an exchange opens and must give back (a
 * subscription to a broker, a pooled connection): its close is asynchronous and reports to
 * the {@link FeedLog}.
 */
final class TickFeed implements AsyncCloseable {

    private final String name;

    private final FeedLog log;

    private final AtomicLong sent = new AtomicLong();

    TickFeed(String name, FeedLog log) {
        this.name = name;
        this.log = log;
        log.opened();
    }

    String next() {
        return this.name + " tick " + this.sent.incrementAndGet();
    }

    @Override
    public CompletionStage<?> closeAsync() {
        this.log.closed(this.name + " closed after " + this.sent.get() + " ticks");
        return CompletableFuture.completedFuture(null);
    }

}
