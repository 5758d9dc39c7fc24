package io.github.managedscopes.spring;

import java.lang.reflect.Method;

import io.github.managedscopes.SuppressedTypes;
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
 * @param result whether the method returns the resource itself, or a {@code CompletionStage}
 * or {@code Mono} of it
 */
record ManagedResourceAttribute(@Nullable Class<?> targetClass, boolean annotated, String method, String name,
        SuppressedTypes suppress, CloseAt closeAt, @Nullable Method closeMethod, ResultKind result) {

    private static final SuppressedTypes NO_TYPES = SuppressedTypes.of();

    static ManagedResourceAttribute notAnnotated(@Nullable Class<?> targetClass) {
        return new ManagedResourceAttribute(targetClass, false, "", "", NO_TYPES, CloseAt.SCOPE_END, null,
                ResultKind.VALUE);
    }

    /**
     * Whether the returned object needs an adapter to be closed: a close method to call, or
     * failures to swallow.
     */
    boolean adapted() {
        return this.closeMethod != null || !this.suppress.isEmpty();
    }

}
