package io.github.managedscopes.micrometer;

/**
 * Every meter name, tag key and fixed tag value managed-scopes publishes, in one place. All
 * names share the {@value #PREFIX} prefix, so {@code management.metrics.enable.managedscopes=false}
 * turns them all off.
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 * <tr><td>{@value #RESOURCES_OPEN}</td><td>gauge</td><td>{@code resource}</td>
 * <td>resources registered and not yet closed</td></tr>
 * <tr><td>{@value #RESOURCES_HELD}</td><td>timer</td><td>{@code resource}, {@code outcome}
 * ({@code closed}, {@code close-failed})</td><td>time from registration to close</td></tr>
 * <tr><td>{@value #RESOURCES_LEAKED}</td><td>counter</td><td>{@code resource}, {@code reason}
 * ({@code threshold}, {@code late-registration}, {@code abandoned})</td>
 * <td>open past the leak-detection threshold, registered after the scope ended, or never
 * closed because the scope was garbage-collected without being unwound</td></tr>
 * <tr><td>{@value #EXCEPTIONS_SUPPRESSED}</td><td>counter</td><td>{@code resource},
 * {@code exception}, {@code reason} ({@code swallowed}, {@code close-during-failure},
 * {@code hook-failed})</td><td>exceptions that did not propagate as the primary failure</td></tr>
 * <tr><td>{@value #SCOPES_ACTIVE}</td><td>gauge</td><td>{@code kind} ({@code request},
 * {@code method}, {@code programmatic})</td><td>scopes open now</td></tr>
 * <tr><td>{@value #SCOPES}</td><td>timer</td><td>{@code kind}, {@code outcome}
 * ({@code success}, {@code failure}), {@code ending} (the values of
 * {@link io.github.managedscopes.spring.ScopeEnding}: {@code completed}, {@code error},
 * {@code timeout}, {@code disconnect}, {@code max-lifetime}, {@code abandoned},
 * {@code returned}, {@code threw})</td><td>scope durations</td></tr>
 * </table>
 * Tag values come from resource names, exception class names and scope kinds only, each tag
 * capped at a number of distinct values beyond which values are reported as {@value #OTHER}.
 */
public final class ManagedScopesMeters {

    /** The prefix of every meter name. */
    public static final String PREFIX = "managedscopes";

    /** Gauge: resources registered and not yet closed. */
    public static final String RESOURCES_OPEN = PREFIX + ".resources.open";

    /** Timer: time from registration to close. */
    public static final String RESOURCES_HELD = PREFIX + ".resources.held";

    /** Counter: resources that leaked. */
    public static final String RESOURCES_LEAKED = PREFIX + ".resources.leaked";

    /** Counter: exceptions that did not propagate as the primary failure. */
    public static final String EXCEPTIONS_SUPPRESSED = PREFIX + ".exceptions.suppressed";

    /** Gauge: scopes open now. */
    public static final String SCOPES_ACTIVE = PREFIX + ".scopes.active";

    /** Timer: scope durations. */
    public static final String SCOPES = PREFIX + ".scopes";

    /** Tag: the resource's name. */
    public static final String RESOURCE = "resource";

    /** Tag: the simple class name of an exception. */
    public static final String EXCEPTION = "exception";

    /** Tag: why a resource leaked or an exception was suppressed. */
    public static final String REASON = "reason";

    /** Tag: how a resource's close or a scope ended. */
    public static final String OUTCOME = "outcome";

    /** Tag: the kind of scope. */
    public static final String KIND = "kind";

    /** Tag: what ended a scope, a {@link io.github.managedscopes.spring.ScopeEnding#tagValue()}. */
    public static final String ENDING = "ending";

    /** Value of any tag past its cap. */
    public static final String OTHER = "other";

    /** {@value #OUTCOME} of a resource closed without failure. */
    public static final String CLOSED = "closed";

    /** {@value #OUTCOME} of a resource whose close threw. */
    public static final String CLOSE_FAILED = "close-failed";

    /** {@value #OUTCOME} of a scope that ended without a failure in flight. */
    public static final String SUCCESS = "success";

    /** {@value #OUTCOME} of a scope that ended with a failure in flight. */
    public static final String FAILURE = "failure";

    /** {@value #REASON} of a resource open past the leak-detection threshold. */
    public static final String THRESHOLD = "threshold";

    /** {@value #REASON} of a resource registered after its scope ended. */
    public static final String LATE_REGISTRATION = "late-registration";

    /** {@value #REASON} of a resource whose scope was garbage-collected without being unwound. */
    public static final String ABANDONED = "abandoned";

    private ManagedScopesMeters() {
    }

}
