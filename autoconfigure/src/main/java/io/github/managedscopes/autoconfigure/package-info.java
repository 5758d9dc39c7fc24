/**
 * Auto-configuration for managed-scopes, found through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 */
@NullMarked
package io.github.managedscopes.autoconfigure;

import org.jspecify.annotations.NullMarked;
