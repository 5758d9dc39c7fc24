package io.github.managedscopes.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * One active scope in the {@link ScopeRegistry} (or its list of resources open outside any
 * scope) and the resources open in it, in a list guarded by this object. It runs, as the
 * cleaning action of its scope's listener, if the scope is garbage-collected without having
 * been unwound; it must not reach that listener, whose unreachability triggers it.
 */
public final class RegisteredScope implements Runnable {

    private final ScopeRegistry registry;

    private final String kind;

    private final String thread;

    private final long openedAtNanos = System.nanoTime();

    /** Its hash in the registry's set of open scopes: cheaper than an identity hash, which the JVM makes on first use. */
    private final int hash = ThreadLocalRandom.current().nextInt();

    private @Nullable RegisteredResource head;

    private boolean ended;

    private @Nullable Object attachment;

    RegisteredScope(ScopeRegistry registry, String kind) {
        this.registry = registry;
        this.kind = kind;
        this.thread = Thread.currentThread().getName();
    }

    /**
     * The kind of scope.
     * @return the kind
     */
    public String kind() {
        return this.kind;
    }

    /**
     * The thread that opened it.
     * @return the thread's name
     */
    public String thread() {
        return this.thread;
    }

    /**
     * When it opened, on the {@link System#nanoTime()} scale.
     * @return the time
     */
    public long openedAtNanos() {
        return this.openedAtNanos;
    }

    /**
     * What the subscriber attached to it when it opened.
     * @return the attachment, or {@code null}
     */
    public @Nullable Object attachment() {
        return this.attachment;
    }

    /**
     * Attaches the subscriber's state for this scope.
     * @param attachment the state
     */
    public void attach(@Nullable Object attachment) {
        this.attachment = attachment;
    }

    synchronized void link(RegisteredResource resource) {
        RegisteredResource first = this.head;
        resource.next = first;
        if (first != null) {
            first.previous = resource;
        }
        this.head = resource;
    }

    synchronized void unlink(RegisteredResource resource) {
        RegisteredResource previous = resource.previous;
        RegisteredResource next = resource.next;
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

    /** The resources open now, newest first. */
    synchronized List<RegisteredResource> resources() {
        List<RegisteredResource> open = new ArrayList<>();
        for (RegisteredResource resource = this.head; resource != null; resource = resource.next) {
            open.add(resource);
        }
        return open;
    }

    /** The scope was unwound; returns whether this is the first time it ended. */
    synchronized boolean end() {
        boolean first = !this.ended;
        this.ended = true;
        return first;
    }

    /** The scope's listener became unreachable without the scope having been unwound. */
    @Override
    public void run() {
        List<RegisteredResource> open;
        synchronized (this) {
            if (this.ended) {
                return;
            }
            this.ended = true;
            open = resources();
            this.head = null;
        }
        this.registry.abandoned(this, open);
    }

    @Override
    public int hashCode() {
        return this.hash;
    }

}
