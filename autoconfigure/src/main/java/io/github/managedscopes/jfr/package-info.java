/**
 * Java Flight Recorder events of managed scopes: {@link io.github.managedscopes.jfr.ResourceLeakEvent},
 * committed for each leaked resource the metrics count, so that a recording taken in production
 * shows leaks next to the JDK's own file and socket events. This package depends on the JDK only.
 */
@NullMarked
package io.github.managedscopes.jfr;

import org.jspecify.annotations.NullMarked;
