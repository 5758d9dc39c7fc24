package io.github.managedscopes.micrometer;

import java.util.Objects;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeListener;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each scope an {@link Observation} named {@value #NAME}: started when the scope opens,
 * as a child of the observation current then (for a request's scope, the HTTP server
 * request's), and stopped when it ends, so that a trace shows every scope. Its keys are
 * low-cardinality only: {@code kind}, and at the end {@code outcome} and {@code ending}, the
 * tags of {@code managedscopes.scopes}. A close that failed and an exception that did not
 * propagate are events on it; a scope that ended with a failure in flight is marked with an
 * error naming its ending.
 * <p>
 * The observation's own timer would duplicate {@code managedscopes.scopes}:
 * {@link #DENY_OWN_METERS} (a meter filter, registered by the auto-configuration) keeps the
 * meters of this observation out of meter registries, so there is one set of scope meters.
 */
public final class ScopeObservations implements ScopeListener {

    /** The name of the observation of a scope (and of the span that tracing makes of it). */
    public static final String NAME = "managedscopes.scope";

    /** Denies the meters a meter observation handler would make of {@value #NAME}. */
    public static final MeterFilter DENY_OWN_METERS = MeterFilter.deny(
            (id) -> id.getName().equals(NAME) || id.getName().startsWith(NAME + "."));

    private final ObservationRegistry registry;

    /**
     * Creates the observations.
     * @param registry where to observe scopes
     */
    public ScopeObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
    }

    @Override
    public OpenScopeListener scopeOpened(String kind) {
        Observation observation = Observation.createNotStarted(NAME, this.registry)
            .contextualName("scope " + kind)
            .lowCardinalityKeyValue(ManagedScopesMeters.KIND, kind);
        if (observation.isNoop()) {
            return OpenScopeListener.NONE;
        }
        return new Observed(observation.start());
    }

    /** The listener of one observed scope. */
    private static final class Observed implements OpenScopeListener {

        private final Observation observation;

        Observed(Observation observation) {
            this.observation = observation;
        }

        @Override
        public void resourceClosed(String name, @Nullable Object token, @Nullable Throwable failure) {
            if (failure != null) {
                this.observation.event(Observation.Event.of("managedscopes.close.failed",
                        "close of '" + name + "' failed: " + failure));
            }
        }

        @Override
        public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
            this.observation.event(Observation.Event.of("managedscopes.exception.suppressed",
                    reason.tagValue() + " on '" + name + "': " + exception));
        }

        @Override
        public void lateRegistration(String name) {
            this.observation.event(Observation.Event.of("managedscopes.late.registration",
                    "'" + name + "' registered after the scope ended"));
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            this.observation.lowCardinalityKeyValues(KeyValues.of(ManagedScopesMeters.OUTCOME,
                    failed ? ManagedScopesMeters.FAILURE : ManagedScopesMeters.SUCCESS, ManagedScopesMeters.ENDING,
                    ending.tagValue()));
            if (failed) {
                this.observation.error(new ScopeFailed(kind, ending));
            }
            this.observation.stop();
        }

    }

    /** The error of an observed scope that ended with a failure (the failure itself went to the caller or the log). */
    static final class ScopeFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ScopeFailed(String kind, ScopeEnding ending) {
            super("The '" + kind + "' scope ended (" + ending.tagValue() + ") with a failure: its body or one of "
                    + "its exits threw, and that exception went to the caller or to the log", null, false, false);
        }

    }

}
