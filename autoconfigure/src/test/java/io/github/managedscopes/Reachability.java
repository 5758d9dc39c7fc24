package io.github.managedscopes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Test support for rule 3 ("nothing is ever lost"): every throwable reachable from a
 * propagated one through its suppressed exceptions and causes.
 */
final class Reachability {

    private Reachability() {
    }

    static List<Throwable> from(@Nullable Throwable propagated) {
        Set<Throwable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> reachable = new ArrayList<>();
        Deque<Throwable> toVisit = new ArrayDeque<>();
        if (propagated != null) {
            toVisit.add(propagated);
        }
        while (!toVisit.isEmpty()) {
            Throwable next = toVisit.pop();
            if (visited.add(next)) {
                reachable.add(next);
                toVisit.addAll(List.of(next.getSuppressed()));
                if (next.getCause() != null) {
                    toVisit.add(next.getCause());
                }
            }
        }
        return reachable;
    }

}
