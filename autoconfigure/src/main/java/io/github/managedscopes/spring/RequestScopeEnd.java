package io.github.managedscopes.spring;

/**
 * The signal that ended a request scope: the first of them to arrive ends it, and the others
 * change nothing. The values are few and fixed, so they can be metric tags and log fields.
 */
public enum RequestScopeEnd {

    /** A synchronous request: its dispatch returned. */
    DISPATCH_RETURNED("dispatch-returned"),

    /** The container reported the asynchronous processing complete. */
    ASYNC_COMPLETE("async-complete"),

    /** The container reported an error of the asynchronous processing (often a client that went away). */
    ASYNC_ERROR("async-error"),

    /** The container reported that the asynchronous processing timed out. */
    ASYNC_TIMEOUT("async-timeout"),

    /** A {@code ResponseBodyEmitter}'s completion callback ran. */
    EMITTER_COMPLETE("emitter-complete"),

    /** A {@code ResponseBodyEmitter}'s error callback ran. */
    EMITTER_ERROR("emitter-error"),

    /** A {@code ResponseBodyEmitter}'s time-out callback ran. */
    EMITTER_TIMEOUT("emitter-timeout"),

    /** A write or flush of the response failed: the client has gone. */
    CLIENT_GONE("client-gone"),

    /** A {@code StreamingResponseBody} returned or threw: its producer has stopped. */
    STREAM_RETURNED("stream-returned"),

    /** {@code managed-scopes.request.max-lifetime} passed before any other signal. */
    MAX_LIFETIME("max-lifetime");

    private final String value;

    RequestScopeEnd(String value) {
        this.value = value;
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
