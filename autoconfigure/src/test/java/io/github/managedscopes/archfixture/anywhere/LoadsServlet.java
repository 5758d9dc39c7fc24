package io.github.managedscopes.archfixture.anywhere;

import jakarta.servlet.ServletRequest;

/**
 * Test fixture for {@code LayerArchitectureTest}: a class outside the web-specific ones that
 * loads a servlet class, to prove the rule against it can fail.
 */
public final class LoadsServlet {

    private LoadsServlet() {
    }

    public static boolean async(ServletRequest request) {
        return request.isAsyncStarted();
    }

}
