package io.github.managedscopes;

import org.jspecify.annotations.Nullable;

/**
 * A consumer that may throw a checked exception.
 *
 * @param <T> the type of the consumed value
 */
@FunctionalInterface
public interface ThrowingConsumer<T extends @Nullable Object> {

    /**
     * Consumes the value.
     * @param value the value
     * @throws Exception if consuming failed
     */
    void accept(T value) throws Exception;

}
