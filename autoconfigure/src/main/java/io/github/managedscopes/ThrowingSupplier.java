package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * A supplier that may throw a checked exception.
 *
 * @param <T> the type of the supplied value
 */
@FunctionalInterface
public interface ThrowingSupplier<T extends @Nullable Object> {

    /**
     * Supplies the value.
     * @return the value
     * @throws Exception if supplying failed
     */
    T get() throws Exception;

}
