package io.github.managedscopes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Test support: a shared, thread-safe list of events, and small real entries (resources,
 * exits, callbacks) that record into it and optionally fail with a given throwable.
 */
final class EventLog {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    void add(String event) {
        this.events.add(event);
    }

    List<String> events() {
        synchronized (this.events) {
            return List.copyOf(this.events);
        }
    }

    /** A resource that records {@code "close <name>"} and then throws {@code failure}, if any. */
    Resource resource(String name) {
        return new Resource(this, name, null);
    }

    Resource failingResource(String name, Throwable failure) {
        return new Resource(this, name, failure);
    }

    /** An exit callback that records {@code "exit <name>(<failure message>)"} and returns {@code swallow}. */
    ExitCallback exit(String name, boolean swallow) {
        return (failure) -> {
            add("exit " + name + "(" + describe(failure) + ")");
            return swallow;
        };
    }

    /** An exit callback that records what it saw and throws {@code thrown}. */
    ExitCallback failingExit(String name, Throwable thrown) {
        return (failure) -> {
            add("exit " + name + "(" + describe(failure) + ")");
            throw sneaky(thrown);
        };
    }

    /** A runnable that records {@code "run <name>"}. */
    ThrowingRunnable action(String name) {
        return () -> add("run " + name);
    }

    ThrowingRunnable failingAction(String name, Throwable thrown) {
        return () -> {
            add("run " + name);
            throw sneaky(thrown);
        };
    }

    static String describe(@Nullable Throwable failure) {
        return (failure != null) ? failure.getMessage() : "null";
    }

    /** Throws any throwable from a method that declares {@code throws Exception}. */
    static Exception sneaky(Throwable failure) throws Exception {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof Exception exception) {
            return exception;
        }
        throw new AssertionError("unexpected throwable type", failure);
    }

    /** A real {@link AutoCloseable} that counts and records its closes. */
    static final class Resource implements AutoCloseable {

        private final EventLog log;

        private final String name;

        private final @Nullable Throwable failure;

        private volatile int closes;

        private volatile @Nullable Thread closedOn;

        Resource(EventLog log, String name, @Nullable Throwable failure) {
            this.log = log;
            this.name = name;
            this.failure = failure;
        }

        @Override
        public void close() throws Exception {
            synchronized (this) {
                this.closes++;
            }
            this.closedOn = Thread.currentThread();
            this.log.add("close " + this.name);
            if (this.failure != null) {
                throw sneaky(this.failure);
            }
        }

        int closes() {
            return this.closes;
        }

        @Nullable Thread closedOn() {
            return this.closedOn;
        }

        String name() {
            return this.name;
        }

        @Override
        public String toString() {
            return "Resource[" + this.name + "]";
        }

    }

}
