package io.github.managedscopes.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.logging.LogLevel;

/**
 * Configuration properties for managed-scopes.
 */
@ConfigurationProperties("managed-scopes")
public class ManagedScopesProperties {

    /**
     * Whether to enable managed scopes.
     */
    private boolean enabled = true;

    /**
     * How long each asynchronous close or exit of a scope whose stack is an AsyncExitStack
     * (a WebFlux exchange, a @ManagedScope method returning Mono or Flux) may take before it
     * counts as failed with a TimeoutException and the unwind goes on. Off when not set.
     */
    private @Nullable Duration closeTimeout;

    private final Request request = new Request();

    private final Webflux webflux = new Webflux();

    private final Metrics metrics = new Metrics();

    private final LeakDetection leakDetection = new LeakDetection();

    private final Observations observations = new Observations();

    private final Log log = new Log();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable Duration getCloseTimeout() {
        return this.closeTimeout;
    }

    public void setCloseTimeout(@Nullable Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public Webflux getWebflux() {
        return this.webflux;
    }

    public Request getRequest() {
        return this.request;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public LeakDetection getLeakDetection() {
        return this.leakDetection;
    }

    public Observations getObservations() {
        return this.observations;
    }

    public Log getLog() {
        return this.log;
    }

    /**
     * Request scope properties.
     */
    public static class Request {

        /**
         * Whether to give every servlet request an ExitStack that unwinds when the request
         * is complete.
         */
        private boolean enabled = true;

        /**
         * Longest time a request scope may stay open: when it passes before the container,
         * the emitter or the response reported the request's end, the scope is unwound with
         * a failure in flight that says so. Zero turns the deadline off.
         */
        private Duration maxLifetime = Duration.ofMinutes(30);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getMaxLifetime() {
            return this.maxLifetime;
        }

        public void setMaxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
        }

    }

    /**
     * WebFlux exchange scope properties.
     */
    public static class Webflux {

        /**
         * Whether to give every WebFlux exchange an AsyncExitStack that unwinds when the
         * response completes, fails or the client goes away.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

    }

    /**
     * Metrics properties.
     */
    public static class Metrics {

        /**
         * Whether to publish managed-scopes meters when a MeterRegistry is available.
         */
        private boolean enabled = true;

        /**
         * Maximum number of distinct values of each tag; further values are reported as
         * 'other'.
         */
        private int maxTagValues = 100;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxTagValues() {
            return this.maxTagValues;
        }

        public void setMaxTagValues(int maxTagValues) {
            this.maxTagValues = maxTagValues;
        }

    }

    /**
     * Observation properties.
     */
    public static class Observations {

        /**
         * Whether to make each scope an Observation (a span in traces) when an
         * ObservationRegistry is available. Unset, scopes are observations when Micrometer
         * Tracing is on the class path: without a tracer, an observation would only feed the
         * meter observation handler, whose meters duplicate managedscopes.scopes.
         */
        private @Nullable Boolean enabled;

        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

    }

    /**
     * Leak detection properties.
     */
    public static class LeakDetection {

        /**
         * How long a resource may stay open before it is reported as leaked, with the stack
         * trace of its registration. Zero turns leak detection off.
         */
        private Duration threshold = Duration.ZERO;

        public Duration getThreshold() {
            return this.threshold;
        }

        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }

    }

    /**
     * Logging properties.
     */
    public static class Log {

        /**
         * Level at which close failures swallowed through @ManagedResource(suppress) are
         * logged, with their stack trace.
         */
        private LogLevel suppressedLevel = LogLevel.WARN;

        public LogLevel getSuppressedLevel() {
            return this.suppressedLevel;
        }

        public void setSuppressedLevel(LogLevel suppressedLevel) {
            this.suppressedLevel = suppressedLevel;
        }

    }

}
