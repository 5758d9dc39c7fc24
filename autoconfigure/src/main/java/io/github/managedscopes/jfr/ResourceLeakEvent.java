package io.github.managedscopes.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/**
 * A resource that leaked, as a Java Flight Recorder event named {@value #NAME}: committed
 * only while a recording enables it, so that without one a leak costs no more than before.
 * It carries the resource's name, why it counts as leaked ({@code threshold},
 * {@code late-registration} or {@code abandoned}, the {@code reason} tag of
 * {@code managedscopes.resources.leaked}), how long it had been open, the thread that
 * registered it and, while leak detection is on, where it was registered. The event's own
 * stack trace is that of the thread reporting the leak (the leak detector's, the cleaner's,
 * or, for a late registration, the registering thread's), so it is not recorded.
 */
@Name(ResourceLeakEvent.NAME)
@Label("Managed Resource Leak")
@Category({ "Managed Scopes" })
@Description("A resource registered on an ExitStack that stayed open past the leak-detection threshold, "
        + "was registered after its scope ended, or was never closed because its scope was abandoned")
@StackTrace(false)
public final class ResourceLeakEvent extends Event {

    /** The event's name, to enable it in a recording or select it with {@code jfr print --events}. */
    public static final String NAME = "io.github.managedscopes.ResourceLeak";

    @Label("Resource")
    @Description("The name the resource was registered under")
    @Nullable String resource;

    @Label("Reason")
    @Description("threshold, late-registration or abandoned")
    @Nullable String reason;

    @Label("Age")
    @Description("How long the resource had been open when the leak was reported")
    @Timespan(Timespan.NANOSECONDS)
    long age;

    @Label("Registering Thread")
    @Nullable String registeringThread;

    @Label("Registration Site")
    @Description("The stack trace of the registration, while leak detection is on")
    @Nullable String registrationSite;

    /**
     * Commits one leak event if a recording enables it; does nothing otherwise.
     * @param resource the resource's name
     * @param reason why it counts as leaked
     * @param ageNanos how long it had been open
     * @param thread the thread that registered it
     * @param site where it was registered, or {@code null} when leak detection is off
     */
    public static void report(String resource, String reason, long ageNanos, String thread,
            @Nullable Throwable site) {
        ResourceLeakEvent event = new ResourceLeakEvent();
        if (event.shouldCommit()) {
            event.resource = resource;
            event.reason = reason;
            event.age = ageNanos;
            event.registeringThread = thread;
            event.registrationSite = (site != null) ? frames(site) : null;
            event.commit();
        }
    }

    private static String frames(Throwable site) {
        StringBuilder frames = new StringBuilder(String.valueOf(site.getMessage()));
        for (StackTraceElement frame : site.getStackTrace()) {
            frames.append("\n\tat ").append(frame);
        }
        return frames.toString();
    }

}
