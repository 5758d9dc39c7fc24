package io.github.managedscopes.spring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * One active scope in the {@link ScopeRegistry} (or its list of resources open outside any
 * scope) and the resources open in it. Once its scope escapes the frame that opened it, it is
 * the cleaning action of the scope's listener, and runs if the scope is garbage-collected
 * without having been unwound; it must not reach that listener, whose unreachability triggers it.
 * <p>
 * The resources are a list without a lock on the registering and closing paths: a record is
 * pushed with one compare-and-set and marked closed when it closes. Readers skip closed
 * records; once as many records were pushed as the list held after the last pruning (at
 * least {@value #MIN_PRUNE_INTERVAL}), the pushing thread drops the closed ones, so that a
 * long-lived list (resources of stacks outside any scope) holds at most about as many closed
 * records as open ones, plus that interval. Pruning is guarded by this object; it only
 * rewrites the links of records behind the head, which pushes never touch.
 */
public final class RegisteredScope implements Runnable {

    private final ScopeRegistry registry;

    private final String kind;

    private final String thread;

    private final long openedAtNanos = System.nanoTime();

    /** Its hash in the registry's set of open scopes: cheaper than an identity hash, which the JVM makes on first use. */
    private final int hash = ThreadLocalRandom.current().nextInt();

    private static final int MIN_PRUNE_INTERVAL = 64;

    private static final VarHandle HEAD;

    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(RegisteredScope.class, "head", RegisteredResource.class);
            CLOSED = lookup.findVarHandle(RegisteredResource.class, "closed", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile @Nullable RegisteredResource head;

    /** Records pushed since the last pruning; racy increments only delay it. */
    private int pushed;

    /** How many pushes start the next pruning. */
    private int pruneAfter = MIN_PRUNE_INTERVAL;

    private boolean ended;

    /** Its registration with the cleaner, once its scope escaped its frame; guarded by this. */
    private Cleaner.@Nullable Cleanable cleanable;

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

    void link(RegisteredResource resource) {
        RegisteredResource first;
        do {
            first = this.head;
            resource.next = first;
        }
        while (!HEAD.compareAndSet(this, first, resource));
        if (++this.pushed >= this.pruneAfter) {
            prune();
        }
    }

    void unlink(RegisteredResource resource) {
        // A release store, not a volatile one: readers may see it a little late, and skip it then.
        CLOSED.setRelease(resource, true);
    }

    /** The newest record, open or closed: the start of the list. */
    @Nullable RegisteredResource head() {
        return this.head;
    }

    /** The open resources, newest first. */
    List<RegisteredResource> resources() {
        List<RegisteredResource> open = new ArrayList<>();
        for (RegisteredResource resource = this.head; resource != null; resource = resource.next) {
            if (!resource.closed) {
                open.add(resource);
            }
        }
        return open;
    }

    /** Drops closed records: those behind the head by relinking, the head by a compare-and-set. */
    private synchronized void prune() {
        if (this.pushed < this.pruneAfter) {
            return;
        }
        RegisteredResource first = this.head;
        int kept = 0;
        if (first != null) {
            RegisteredResource last = first;
            for (RegisteredResource resource = first.next; resource != null; resource = resource.next) {
                if (resource.closed) {
                    last.next = resource.next;
                }
                else {
                    last = resource;
                    kept++;
                }
            }
            if (first.closed) {
                HEAD.compareAndSet(this, first, first.next);
            }
            else {
                kept++;
            }
        }
        this.pushed = 0;
        this.pruneAfter = Math.max(MIN_PRUNE_INTERVAL, kept);
    }

    /**
     * Runs {@link #run()} once {@code owner} (its scope's listener) becomes unreachable, unless
     * the scope ends first; does nothing if it has ended or is already watched.
     */
    synchronized void cleanWhenUnreachable(Object owner) {
        if (!this.ended && this.cleanable == null) {
            this.cleanable = ScopeRegistry.CLEANER.register(owner, this);
        }
    }

    /** Whether it is registered with the cleaner now. */
    synchronized boolean isWatched() {
        return this.cleanable != null;
    }

    /**
     * The scope ended.
     * @return whether this is the first time, rather than after another end or its abandonment
     */
    boolean end() {
        Cleaner.Cleanable watched;
        synchronized (this) {
            if (this.ended) {
                return false;
            }
            this.ended = true;
            watched = this.cleanable;
            this.cleanable = null;
        }
        if (watched != null) {
            // Unregisters it; the action it runs now returns at once, the scope having ended.
            watched.clean();
        }
        return true;
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
