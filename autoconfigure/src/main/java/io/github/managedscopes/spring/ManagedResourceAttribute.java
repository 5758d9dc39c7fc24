package io.github.managedscopes.spring;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * What {@link ManagedResource} says about one method, validated once.
 *
 * @param targetClass the class the method was resolved against
 * @param annotated whether the method carries {@code @ManagedResource}
 * @param method the method as named in messages ({@code ClassName.method})
 * @param name the name the resource is reported under
 * @param suppress the close failures to swallow
 * @param closeAt when to close
 * @param closeMethod the method that closes the returned object, or {@code null} for
 * {@link AutoCloseable#close()}
 */
record ManagedResourceAttribute(@Nullable Class<?> targetClass, boolean annotated, String method, String name,
        Class<? extends Throwable>[] suppress, CloseAt closeAt, @Nullable Method closeMethod) {

    @SuppressWarnings("unchecked")
    private static final Class<? extends Throwable>[] NO_TYPES = new Class[0];

    static ManagedResourceAttribute notAnnotated(@Nullable Class<?> targetClass) {
        return new ManagedResourceAttribute(targetClass, false, "", "", NO_TYPES, CloseAt.SCOPE_END, null);
    }

    /**
     * Whether the returned object needs an adapter to be closed: a close method to call, or
     * failures to swallow.
     */
    boolean adapted() {
        return this.closeMethod != null || this.suppress.length > 0;
    }

    boolean suppresses(Throwable failure) {
        if (failure instanceof VirtualMachineError) {
            return false;
        }
        for (Class<? extends Throwable> type : this.suppress) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

}
