package io.github.managedscopes;

/**
 * Why an exception did not propagate as the primary failure of an unwind.
 */
public enum SuppressionReason {

    /** An exit returned {@code true}, or a close failure matched a configured suppression. */
    SWALLOWED("swallowed"),

    /** A close failed while another failure was in flight and was added to it as suppressed. */
    CLOSE_DURING_FAILURE("close-during-failure"),

    /** A transaction or scope hook failed and was logged instead of propagated. */
    HOOK_FAILED("hook-failed");

    private final String tagValue;

    SuppressionReason(String tagValue) {
        this.tagValue = tagValue;
    }

    /**
     * The value of the {@code reason} tag of the suppressed-exceptions counter.
     * @return the tag value
     */
    public String tagValue() {
        return this.tagValue;
    }

}
