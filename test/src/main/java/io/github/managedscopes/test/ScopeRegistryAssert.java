package io.github.managedscopes.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.managedscopes.spring.ScopeRegistry;
import io.github.managedscopes.spring.ScopeRegistry.ResourceView;
import io.github.managedscopes.spring.ScopeRegistry.ScopeView;
import io.github.managedscopes.spring.ScopeRegistry.Snapshot;
import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a {@link ScopeRegistry}: that no scope is active and no resource open,
 * optionally among those opened since an instant, optionally after waiting for scopes still
 * unwinding. A failure names each scope left active and each resource left open, with the
 * thread, its age and, when the registry captured it, where it was registered.
 */
public final class ScopeRegistryAssert extends AbstractAssert<ScopeRegistryAssert, ScopeRegistry> {

    private static final int SITE_FRAMES = 8;

    private Instant since = Instant.MIN;

    private Duration patience = Duration.ZERO;

    ScopeRegistryAssert(ScopeRegistry registry) {
        super(registry, ScopeRegistryAssert.class);
    }

    /**
     * Judges only the scopes and resources opened at or after {@code instant}, so that a shared
     * application context's earlier tests are not charged to this one.
     * @param instant the instant
     * @return this
     */
    public ScopeRegistryAssert openedSince(Instant instant) {
        this.since = instant;
        return this;
    }

    /**
     * Waits up to {@code timeout} for what is open to close before judging it.
     * @param timeout how long to wait
     * @return this
     */
    public ScopeRegistryAssert within(Duration timeout) {
        this.patience = timeout;
        return this;
    }

    /**
     * Verifies that no scope is active and no resource is open.
     * @return this
     */
    public ScopeRegistryAssert hasNothingOpen() {
        isNotNull();
        Snapshot left = left();
        // Read after the wait: a scope garbage-collected meanwhile left the snapshot for this list.
        List<ScopeView> abandoned = this.actual.abandonedScopes().stream().filter(this::recent).toList();
        if (!isEmpty(left) || !abandoned.isEmpty()) {
            failWithMessage("%s", describe(left, abandoned));
        }
        return this;
    }

    /**
     * What is left: the first snapshot with nothing open, or the last one taken. Judging the
     * snapshot the wait ended on, not a new one, keeps a periodic job (a {@code @Scheduled}
     * method in a scope of its own) from being charged to the test when its next run starts
     * just after the wait saw nothing open.
     */
    private Snapshot left() {
        Snapshot left = filtered();
        if (isEmpty(left) || this.patience.isZero()) {
            return left;
        }
        try {
            return Awaitility.await()
                .atMost(this.patience)
                .pollInterval(Duration.ofMillis(10))
                .until(this::filtered, ScopeRegistryAssert::isEmpty);
        }
        catch (ConditionTimeoutException ex) {
            return filtered();
        }
    }

    private Snapshot filtered() {
        Snapshot snapshot = this.actual.snapshot();
        List<ScopeView> scopes = snapshot.scopes().stream().filter(this::recent).toList();
        return new Snapshot(scopes, snapshot.unscoped().stream().filter(this::recent).toList());
    }

    private boolean recent(ScopeView scope) {
        return !scope.openedAt().isBefore(this.since) || scope.resources().stream().anyMatch(this::recent);
    }

    private boolean recent(ResourceView resource) {
        return !resource.openedAt().isBefore(this.since);
    }

    private static boolean isEmpty(Snapshot snapshot) {
        return snapshot.scopes().isEmpty() && snapshot.unscoped().isEmpty();
    }

    static String describe(Snapshot left, List<ScopeView> abandoned) {
        StringBuilder message = new StringBuilder("Expected no managed scope active and no managed resource open, but:");
        for (ScopeView scope : abandoned) {
            message.append("\n- a '").append(scope.kind()).append("' scope opened on thread '").append(scope.thread())
                .append("' was garbage-collected ").append(scope.age().toMillis())
                .append(" ms later without having been unwound: nothing ended it (was a lease never closed?)");
            for (ResourceView resource : scope.resources()) {
                describe(message, resource, "was never closed", " ms before");
            }
        }
        for (ScopeView scope : left.scopes()) {
            message.append("\n- a '").append(scope.kind()).append("' scope opened on thread '").append(scope.thread())
                .append("' ").append(scope.age().toMillis()).append(" ms ago is still active");
            if (scope.resources().isEmpty()) {
                message.append(" (was a lease never closed?)");
            }
            for (ResourceView resource : scope.resources()) {
                describe(message, resource, "is still open on its '" + scope.kind() + "' scope", " ms ago");
            }
        }
        for (ResourceView resource : left.unscoped()) {
            describe(message, resource, "is still open on a stack outside any scope", " ms ago");
        }
        return message.toString();
    }

    private static void describe(StringBuilder message, ResourceView resource, String state, String aged) {
        message.append("\n  - resource '").append(resource.name()).append("' ").append(state)
            .append(", registered on thread '").append(resource.thread()).append("' ")
            .append(resource.age().toMillis()).append(aged);
        List<String> site = userFrames(resource.registrationSite());
        if (site.isEmpty()) {
            message.append(" (set managed-scopes.leak-detection.threshold to see where it was registered)");
            return;
        }
        message.append(", registered at:");
        site.forEach((frame) -> message.append("\n      at ").append(frame));
    }

    /** The registration site from the first frame outside the library, a few frames deep. */
    private static List<String> userFrames(@Nullable List<String> site) {
        if (site == null) {
            return List.of();
        }
        int first = 0;
        while (first < site.size() && isLibraryFrame(site.get(first))) {
            first++;
        }
        return site.subList(first, Math.min(site.size(), first + SITE_FRAMES));
    }

    /** A frame of the core (no sub-package), the Spring layer, the metrics, Spring AOP or the JDK. */
    private static boolean isLibraryFrame(String frame) {
        int paren = frame.indexOf('(');
        String method = (paren < 0) ? frame : frame.substring(0, paren);
        if (method.contains("/") || method.startsWith("java.") || method.startsWith("jdk.")
                || method.startsWith("org.springframework.aop.") || method.contains("$$SpringCGLIB$$")) {
            return true;
        }
        String prefix = "io.github.managedscopes.";
        if (!method.startsWith(prefix)) {
            return false;
        }
        String rest = method.substring(prefix.length());
        return rest.startsWith("spring.") || rest.startsWith("micrometer.") || rest.split("\\.").length == 2;
    }

}
