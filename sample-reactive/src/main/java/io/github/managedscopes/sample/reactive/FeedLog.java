package io.github.managedscopes.sample.reactive;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Counts the feeds opened and closed, and remembers how each exchange that used one ended.
 */
@Component
public class FeedLog {

    private static final Logger logger = LoggerFactory.getLogger(FeedLog.class);

    private final AtomicInteger open = new AtomicInteger();

    private final AtomicInteger closed = new AtomicInteger();

    private final List<String> events = new CopyOnWriteArrayList<>();

    void opened() {
        this.open.incrementAndGet();
    }

    void closed(String event) {
        this.open.decrementAndGet();
        this.closed.incrementAndGet();
        record(event);
    }

    void record(String event) {
        logger.info(event);
        this.events.add(event);
        if (this.events.size() > 20) {
            this.events.remove(0);
        }
    }

    /**
     * What the {@code /closed} endpoint shows.
     * @param open feeds open now
     * @param closed feeds closed so far
     * @param events the latest closes and scope endings
     */
    public record Summary(int open, int closed, List<String> events) {
    }

    Summary summary() {
        return new Summary(this.open.get(), this.closed.get(), List.copyOf(this.events));
    }

}
