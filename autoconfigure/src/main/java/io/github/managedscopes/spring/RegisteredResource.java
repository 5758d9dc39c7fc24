package io.github.managedscopes.spring;

import org.jspecify.annotations.Nullable;

/**
 * One open resource in the {@link ScopeRegistry}: its name, the registering thread, when it
 * was registered and, while leak detection is on, where. It is the token its stack hands back
 * when the resource closes, and it carries what a {@link ScopeRegistry.Subscriber} attached to
 * it (the metrics' meters), so that no event needs a lookup.
 */
public final class RegisteredResource extends OpenRecords.Record<RegisteredResource> {

    private final String name;

    private final String thread;

    private final long openedAtNanos = System.nanoTime();

    private final @Nullable RegistrationSite site;

    final RegisteredScope scope;

    private @Nullable Object attachment;

    RegisteredResource(String name, @Nullable RegistrationSite site, RegisteredScope scope) {
        this.name = name;
        this.thread = Thread.currentThread().getName();
        this.site = site;
        this.scope = scope;
    }

    /**
     * The name the resource was registered under.
     * @return the name
     */
    public String name() {
        return this.name;
    }

    /**
     * The thread that registered it.
     * @return the thread's name
     */
    public String thread() {
        return this.thread;
    }

    /**
     * When it was registered, on the {@link System#nanoTime()} scale.
     * @return the time
     */
    public long openedAtNanos() {
        return this.openedAtNanos;
    }

    /**
     * Where it was registered.
     * @return the site, or {@code null} unless leak detection is on
     */
    public @Nullable RegistrationSite site() {
        return this.site;
    }

    /**
     * What the subscriber attached to it when it opened.
     * @return the attachment, or {@code null}
     */
    public @Nullable Object attachment() {
        return this.attachment;
    }

    /**
     * Attaches the subscriber's state for this resource.
     * @param attachment the state
     */
    public void attach(@Nullable Object attachment) {
        this.attachment = attachment;
    }

}
