package io.github.managedscopes.spring;

/**
 * What ended a scope: a bounded value, published as the {@code ending} tag of the
 * {@code managedscopes.scopes} timer and reported to {@link OpenScopeListener#scopeEnded}.
 * Whether the scope ended with a failure in flight is reported separately (the
 * {@code outcome} tag): a request that {@link #COMPLETED} may still have failed.
 */
public enum ScopeEnding {

    /**
     * A request's processing completed: its dispatch returned, its asynchronous processing
     * completed, or a WebFlux exchange's response was written.
     */
    COMPLETED("completed"),

    /**
     * A request's asynchronous processing failed (the servlet container reported an error), or
     * a WebFlux exchange's pipeline ended with an error.
     */
    ERROR("error"),

    /** A request's asynchronous processing timed out. */
    TIMEOUT("timeout"),

    /** The client went away before the response was complete. */
    DISCONNECT("disconnect"),

    /** The request was still open when {@code managed-scopes.request.max-lifetime} passed. */
    MAX_LIFETIME("max-lifetime"),

    /**
     * The scope became unreachable without being unwound: no end signal reached it (its owner
     * never let go, or a lease was dropped unclosed).
     */
    ABANDONED("abandoned"),

    /**
     * A {@code @ManagedScope} method or a programmatic scope's action returned (for an
     * asynchronous method: its result completed).
     */
    RETURNED("returned"),

    /**
     * A {@code @ManagedScope} method or a programmatic scope's action threw (for an
     * asynchronous method: its result failed).
     */
    THREW("threw"),

    /**
     * The result of a {@code @ManagedScope} method (its {@code CompletionStage}, or its
     * {@code Mono}/{@code Flux} subscription) was cancelled before it completed.
     */
    CANCELLED("cancelled");

    private final String tagValue;

    ScopeEnding(String tagValue) {
        this.tagValue = tagValue;
    }

    /**
     * The value of the {@code ending} tag of the scopes timer.
     * @return the tag value
     */
    public String tagValue() {
        return this.tagValue;
    }

}
