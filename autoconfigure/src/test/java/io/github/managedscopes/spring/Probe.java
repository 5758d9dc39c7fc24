package io.github.managedscopes.spring;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resource that writes to a journal when it is used and when it is closed.
 */
final class Probe implements AutoCloseable {

    private final String name;

    private final Journal journal;

    private final AtomicInteger closes = new AtomicInteger();

    Probe(String name, Journal journal) {
        this.name = name;
        this.journal = journal;
    }

    void use() {
        this.journal.add((this.closes.get() == 0) ? "use " + this.name : "use " + this.name + " after close");
    }

    int closes() {
        return this.closes.get();
    }

    @Override
    public void close() {
        this.closes.incrementAndGet();
        this.journal.add("close " + this.name);
    }

    @Override
    public String toString() {
        return "Probe " + this.name;
    }

}
