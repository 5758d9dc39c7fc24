package io.github.managedscopes.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ExitStackListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The application's listeners combined once: each scope fact reported once, per-scope
 * listeners for the scopes' stacks, stack listeners for every stack.
 */
class ManagedScopesListenersTests {

    private final List<String> heard = new CopyOnWriteArrayList<>();

    @Test
    void reportsEachScopeOpeningOnceAndGivesItsStackThePerScopeListeners() throws Exception {
        ExitStackListener plain = new Heard("plain");
        ScopeListener perScope = (kind) -> {
            this.heard.add("opened " + kind);
            return new HeardScope("scope-" + kind);
        };
        ManagedScopes scopes = new ManagedScopes(new ManagedScopesListeners(List.of(plain), List.of(perScope)).scopes(),
                null);
        try {
            ManagedScopes.run(() -> ManagedScopes.current().register(() -> {
            }, "r"));
        }
        finally {
            scopes.destroy();
        }
        assertThat(this.heard).containsExactly("opened programmatic", "scope-programmatic registered r",
                "plain registered r", "scope-programmatic closed r", "plain closed r",
                "scope-programmatic ended programmatic false returned");
    }

    @Test
    void tellsAListenerThatIsBothItsScopesStackEventsOnlyThroughItsScopeListener() {
        Both both = new Both();
        ManagedScopesListeners listeners = new ManagedScopesListeners(List.of(both), List.of(both));
        OpenScopeListener forScope = listeners.scopes().scopeOpened("method");
        ExitStack stack = ExitStack.forScope("a test scope", forScope);
        stack.register(() -> {
        }, "r");
        stack.close();
        assertThat(this.heard).containsExactly("both-scope registered r", "both-scope closed r");
        this.heard.clear();
        ExitStack plainStack = new ExitStack(listeners.stacks());
        plainStack.register(() -> {
        }, "s");
        plainStack.close();
        assertThat(this.heard).containsExactly("both registered s", "both closed s");
    }

    @Test
    void costsNothingPerScopeWithoutScopeListeners() {
        ManagedScopesListeners none = new ManagedScopesListeners(List.of(), List.of());
        assertThat(none.scopes().scopeOpened("request")).isSameAs(OpenScopeListener.NONE);
        assertThat(none.stacks()).isSameAs(ExitStackListener.NONE);
        ManagedScopesListeners plain = new ManagedScopesListeners(List.of(new Heard("plain")), List.of());
        assertThat(plain.scopes().scopeOpened("request")).isSameAs(plain.scopes().scopeOpened("method"));
    }

    @Test
    void refusesAScopeListenerThatReturnsNull() {
        ScopeListener broken = new ScopeListener() {
            @Override
            @SuppressWarnings("NullAway")
            public OpenScopeListener scopeOpened(String kind) {
                return nothing();
            }

            @Override
            public String toString() {
                return "the broken listener";
            }
        };
        ManagedScopesListeners listeners = new ManagedScopesListeners(List.of(), List.of(broken));
        assertThatNullPointerException().isThrownBy(() -> listeners.scopes().scopeOpened("method"))
            .withMessageContaining("the broken listener")
            .withMessageContaining("OpenScopeListener.NONE");
    }

    @SuppressWarnings("unchecked")
    private static <T> T nothing() {
        return (T) null;
    }

    private class Heard implements ExitStackListener {

        final String name;

        Heard(String name) {
            this.name = name;
        }

        @Override
        public @Nullable Object resourceRegistered(String resource) {
            ManagedScopesListenersTests.this.heard.add(this.name + " registered " + resource);
            return null;
        }

        @Override
        public void resourceClosed(String resource, @Nullable Object token, @Nullable Throwable failure) {
            ManagedScopesListenersTests.this.heard.add(this.name + " closed " + resource);
        }

    }

    private final class HeardScope extends Heard implements OpenScopeListener {

        HeardScope(String name) {
            super(name);
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            ManagedScopesListenersTests.this.heard.add(this.name + " ended " + kind + " " + failed + " "
                    + ending.tagValue());
        }

    }

    private final class Both extends Heard implements ScopeListener {

        Both() {
            super("both");
        }

        @Override
        public OpenScopeListener scopeOpened(String kind) {
            return new HeardScope("both-scope");
        }

    }

}
