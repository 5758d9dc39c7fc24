package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * Something that is entered and later exited, like Python's {@code __enter__} and
 * {@code __exit__}: {@link ExitStack#enterContext(ContextManager)} calls {@link #enter()} at
 * once and {@link #exit(Throwable)} when the stack unwinds.
 *
 * @param <T> the type of the value handed out by {@link #enter()}
 */
public interface ContextManager<T extends @Nullable Object> {

    /**
     * Acquires what this manager manages.
     * @return the entered value, handed to the caller of {@code enterContext}
     * @throws Exception if entering failed; nothing is then registered for exit
     */
    T enter() throws Exception;

    /**
     * Releases what {@link #enter()} acquired.
     * @param failure the failure in flight at this exit, or {@code null} on a clean exit
     * @return {@code true} to swallow {@code failure}; ignored when {@code failure} is
     * {@code null} or a {@link VirtualMachineError}
     * @throws Exception if releasing failed; while a failure is in flight the new one is
     * added to it as suppressed
     */
    boolean exit(@Nullable Throwable failure) throws Exception;

}
