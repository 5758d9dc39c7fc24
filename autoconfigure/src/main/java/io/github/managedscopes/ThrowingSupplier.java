package io.github.managedscopes;

/**
 * A supplier that may throw a checked exception.
 *
 * @param <T> the type of the supplied value
 */
@FunctionalInterface
public interface ThrowingSupplier<T> {

    /**
     * Supplies the value.
     * @return the value
     * @throws Exception if supplying failed
     */
    T get() throws Exception;

}
