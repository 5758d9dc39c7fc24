package io.github.managedscopes;

/**
 * Thrown by {@link ExitStack#close()} when the unwind ended with a checked exception: the
 * original is the {@linkplain #getCause() cause}. Carries no stack trace of its own, since
 * the cause has the one that matters.
 */
public class UnwindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Wraps a checked failure of an unwind.
     * @param cause the checked exception the unwind ended with
     */
    public UnwindException(Throwable cause) {
        super(String.valueOf(cause), cause, true, false);
    }

}
