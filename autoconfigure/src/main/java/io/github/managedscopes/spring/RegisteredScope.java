package io.github.managedscopes.spring;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One active scope in the {@link ScopeRegistry} (or its list of resources open outside any
 * scope) and the resources open in it, an {@link OpenRecords} list. Once its scope escapes the
 * frame that opened it, it is the cleaning action of the scope's listener, and runs if the
 * scope is garbage-collected without having been unwound; it must not reach that listener,
 * whose unreachability triggers it.
 */
public final class RegisteredScope extends OpenRecords.Record<RegisteredScope> implements Runnable {

    private final ScopeRegistry registry;

    private final String kind;

    private final String thread;

    private final long openedAtNanos;

    private final OpenRecords<RegisteredResource> resources = new OpenRecords<>();

    private boolean ended;

    /** Its registration with the cleaner, once its scope escaped its frame; guarded by this. */
    private Cleaner.@Nullable Cleanable cleanable;

    private @Nullable Object attachment;

    RegisteredScope(ScopeRegistry registry, String kind, long openedAtNanos) {
        this.registry = registry;
        this.kind = kind;
        this.openedAtNanos = openedAtNanos;
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
        this.resources.add(resource);
    }

    void unlink(RegisteredResource resource) {
        this.resources.close(resource);
    }

    /** The newest record, open or closed: the start of the list. */
    @Nullable RegisteredResource head() {
        return this.resources.head();
    }

    /** How many of its open resources {@code test} accepts. */
    int countOpen(Predicate<? super RegisteredResource> test) {
        return this.resources.sum((resource) -> test.test(resource) ? 1 : 0);
    }

    /** The open resources, newest first. */
    List<RegisteredResource> resources() {
        return this.resources.open();
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
            this.resources.clear();
        }
        this.registry.abandoned(this, open);
    }

}
