package io.github.managedscopes.micrometer;

import java.util.ArrayList;
import java.util.List;

import io.github.managedscopes.spring.ScopeEnding;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources of one scope that are still open, and the action that runs if the scope is
 * garbage-collected without having been unwound (a lease never closed): every resource still
 * open is counted as leaked ({@value ManagedScopesMeters#ABANDONED}) and taken off the open
 * gauge, and the scope off the active gauge and onto the scopes timer as a failure that ended
 * {@code abandoned}. It must not reach its scope's listener, whose
 * unreachability triggers it.
 */
final class ScopeState implements Runnable {

    private static final Logger logger = LoggerFactory.getLogger(ScopeState.class);

    final ScopeMeters meters;

    private final long openedAt = System.nanoTime();

    private @Nullable OpenResource head;

    private boolean ended;

    ScopeState(ScopeMeters meters) {
        this.meters = meters;
    }

    synchronized void link(OpenResource resource) {
        OpenResource first = this.head;
        resource.next = first;
        if (first != null) {
            first.previous = resource;
        }
        this.head = resource;
    }

    synchronized void unlink(OpenResource resource) {
        OpenResource previous = resource.previous;
        OpenResource next = resource.next;
        if (previous != null) {
            previous.next = next;
        }
        else if (this.head == resource) {
            this.head = next;
        }
        if (next != null) {
            next.previous = previous;
        }
        resource.previous = null;
        resource.next = null;
    }

    /** The scope was unwound; returns whether this is the first time it ended. */
    synchronized boolean end() {
        boolean first = !this.ended;
        this.ended = true;
        return first;
    }

    /** The scope's listener became unreachable. */
    @Override
    public void run() {
        List<OpenResource> open = new ArrayList<>();
        synchronized (this) {
            if (this.ended) {
                return;
            }
            this.ended = true;
            for (OpenResource resource = this.head; resource != null; resource = resource.next) {
                open.add(resource);
            }
            this.head = null;
        }
        this.meters.ended(System.nanoTime() - this.openedAt, true, ScopeEnding.ABANDONED);
        List<String> names = new ArrayList<>(open.size());
        for (OpenResource resource : open) {
            resource.meters.open.decrement();
            resource.meters.abandoned.increment();
            resource.watch.abandoned();
            names.add(resource.meters.tag);
        }
        if (!names.isEmpty()) {
            logger.warn("A '{}' scope was garbage-collected without being unwound (was a lease never closed?); "
                    + "{} resource(s) it held were never closed: {}", this.meters.tag, names.size(), names);
        }
    }

}
