package io.github.managedscopes.spring;

/**
 * The signal that ended a request scope: the first of them to arrive ends it, and the others
 * change nothing. The values are few and fixed: each is written in the log line of a failing
 * unwind, and maps to the {@link ScopeEnding} tag of the {@code managedscopes.scopes} timer.
 */
public enum RequestScopeEnd {

    /** A synchronous request: its dispatch returned. */
    DISPATCH_RETURNED("dispatch-returned", ScopeEnding.COMPLETED),

    /** The container reported the asynchronous processing complete. */
    ASYNC_COMPLETE("async-complete", ScopeEnding.COMPLETED),

    /** The container reported an error of the asynchronous processing (often a client that went away). */
    ASYNC_ERROR("async-error", ScopeEnding.ERROR),

    /** The container reported that the asynchronous processing timed out. */
    ASYNC_TIMEOUT("async-timeout", ScopeEnding.TIMEOUT),

    /** A {@code ResponseBodyEmitter}'s completion callback ran. */
    EMITTER_COMPLETE("emitter-complete", ScopeEnding.COMPLETED),

    /** A {@code ResponseBodyEmitter}'s error callback ran. */
    EMITTER_ERROR("emitter-error", ScopeEnding.ERROR),

    /** A {@code ResponseBodyEmitter}'s time-out callback ran. */
    EMITTER_TIMEOUT("emitter-timeout", ScopeEnding.TIMEOUT),

    /** A write or flush of the response failed: the client has gone. */
    CLIENT_GONE("client-gone", ScopeEnding.DISCONNECT),

    /** A {@code StreamingResponseBody} returned or threw: its producer has stopped. */
    STREAM_RETURNED("stream-returned", ScopeEnding.COMPLETED),

    /** {@code managed-scopes.request.max-lifetime} passed before any other signal. */
    MAX_LIFETIME("max-lifetime", ScopeEnding.MAX_LIFETIME);

    private final String value;

    private final ScopeEnding ending;

    RequestScopeEnd(String value, ScopeEnding ending) {
        this.value = value;
        this.ending = ending;
    }

    /**
     * What this signal means for the {@code ending} tag of the scopes timer.
     * @return the scope ending
     */
    public ScopeEnding ending() {
        return this.ending;
    }

    /**
     * The lower-case name used as a tag and log value.
     * @return the value
     */
    public String value() {
        return this.value;
    }

    @Override
    public String toString() {
        return this.value;
    }

}
