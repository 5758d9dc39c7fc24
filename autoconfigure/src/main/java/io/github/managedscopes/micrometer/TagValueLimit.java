package io.github.managedscopes.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the distinct values of one tag: the first {@code max} values pass, every later one is
 * reported as {@value ManagedScopesMeters#OTHER}. Asked when a meter is first resolved, and on
 * every event of a value past the cap (whose meters are cached under {@code other}, not under
 * it): once the cap is reached, that answer takes no lock.
 */
final class TagValueLimit {

    private final int max;

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    TagValueLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("'maxTagValues' must be at least 1, was " + max);
        }
        this.max = max;
    }

    String apply(String value) {
        if (this.accepted.contains(value)) {
            return value;
        }
        if (this.accepted.size() >= this.max) {
            // Values are never removed: once full, the set is full for good.
            return ManagedScopesMeters.OTHER;
        }
        synchronized (this) {
            if (this.accepted.contains(value) || this.accepted.size() < this.max) {
                this.accepted.add(value);
                return value;
            }
        }
        return ManagedScopesMeters.OTHER;
    }

}
