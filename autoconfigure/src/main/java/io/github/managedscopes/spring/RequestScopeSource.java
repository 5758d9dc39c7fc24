package io.github.managedscopes.spring;

import org.jspecify.annotations.Nullable;

/**
 * Finds the scope of the request being handled on the current thread, if there is one.
 */
@FunctionalInterface
public interface RequestScopeSource {

    /**
     * Returns the current request's scope.
     * @param create whether to open it if the request has none yet
     * @return the scope, or {@code null} if no request is bound to this thread (or it has no
     * scope and {@code create} is {@code false})
     */
    @Nullable ActiveScope requestScope(boolean create);

}
