package io.github.managedscopes;

import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A set of exception types that a close or an exit may swallow, and the one rule deciding
 * whether a failure is among them: an instance of one of the types (or of a subtype), and
 * never a {@link VirtualMachineError}. Used by {@link ContextManagers#suppress} and by the
 * Spring layer's {@code @ManagedResource(suppress = ...)}.
 */
public final class SuppressedTypes {

    private final Class<? extends Throwable>[] types;

    private SuppressedTypes(Class<? extends Throwable>[] types) {
        this.types = types;
    }

    /**
     * The given types, copied.
     * @param types the types, possibly none
     * @return the set
     * @throws NullPointerException naming {@code types} if it or one of its elements is {@code null}
     */
    @SafeVarargs
    public static SuppressedTypes of(Class<? extends Throwable>... types) {
        Objects.requireNonNull(types, "'types' must not be null");
        for (int i = 0; i < types.length; i++) {
            Objects.requireNonNull(types[i], "'types' must not contain null (element " + i + ")");
        }
        return new SuppressedTypes(types.clone());
    }

    /**
     * Whether {@code failure} may be swallowed.
     * @param failure the failure, or {@code null}
     * @return {@code true} if it is an instance of one of the types and not a {@link VirtualMachineError}
     */
    public boolean matches(@Nullable Throwable failure) {
        if (failure == null || failure instanceof VirtualMachineError) {
            return false;
        }
        for (Class<? extends Throwable> type : this.types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the set has no type, so that it matches nothing.
     * @return {@code true} if it is empty
     */
    public boolean isEmpty() {
        return this.types.length == 0;
    }

    /** The simple names of the types, as {@code [IOException, TimeoutException]}: a bounded tag value. */
    String simpleNames() {
        return Arrays.stream(this.types).map(Class::getSimpleName).toList().toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(this.types);
    }

}
