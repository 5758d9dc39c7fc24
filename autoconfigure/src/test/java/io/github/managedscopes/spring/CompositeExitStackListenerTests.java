package io.github.managedscopes.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.ExitStackListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Several listeners as one: each hears every event in order and gets its own token back.
 */
class CompositeExitStackListenerTests {

    private final List<String> heard = new CopyOnWriteArrayList<>();

    @Test
    void keepsNoneForNoListenerAndASingleListenerAsItIs() {
        Tokens only = new Tokens("only");
        assertThat(CompositeExitStackListener.of(List.of())).isSameAs(ExitStackListener.NONE);
        assertThat(CompositeExitStackListener.of(List.of(ExitStackListener.NONE))).isSameAs(ExitStackListener.NONE);
        assertThat(CompositeExitStackListener.of(List.of(only, ExitStackListener.NONE))).isSameAs(only);
    }

    @Test
    void handsEachListenerBackItsOwnToken() {
        ExitStack stack = new ExitStack(CompositeExitStackListener.of(List.of(new Tokens("a"), new Tokens("b"))));
        stack.register(() -> {
        }, "r");
        stack.close();
        assertThat(this.heard).containsExactly("a registered r", "b registered r", "a closed r with a-token",
                "b closed r with b-token");
    }

    @Test
    void tellsEveryListenerEvenWhenOneThrowsAndThenRethrows() {
        ExitStackListener failing = new ExitStackListener() {
            @Override
            public void lateRegistration(String name) {
                throw new IllegalStateException("listener broke");
            }
        };
        ExitStackListener composite = CompositeExitStackListener.of(List.of(failing, new Tokens("b")));
        assertThatIllegalStateException().isThrownBy(() -> composite.lateRegistration("x"))
            .withMessage("listener broke");
        assertThat(this.heard).containsExactly("b late x");
    }

    @Test
    void tellsTheEndOfAScopeToTheScopeListenersAmongThem() {
        List<String> ended = new CopyOnWriteArrayList<>();
        OpenScopeListener scoped = new OpenScopeListener() {
            @Override
            public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
                ended.add(kind + " " + failed + " " + ending.tagValue());
            }
        };
        OpenScopeListener forScope = CompositeExitStackListener.forScope(List.of(new Tokens("plain"), scoped));
        forScope.scopeEnded("method", 1, true, ScopeEnding.THREW);
        assertThat(ended).containsExactly("method true threw");
        assertThat(CompositeExitStackListener.forScope(List.of())).isSameAs(OpenScopeListener.NONE);
        assertThat(CompositeExitStackListener.forScope(List.of(scoped))).isSameAs(scoped);
    }

    private class Tokens implements ExitStackListener {

        private final String name;

        Tokens(String name) {
            this.name = name;
        }

        @Override
        public Object resourceRegistered(String resource) {
            CompositeExitStackListenerTests.this.heard.add(this.name + " registered " + resource);
            return this.name + "-token";
        }

        @Override
        public void resourceClosed(String resource, @Nullable Object token, @Nullable Throwable failure) {
            CompositeExitStackListenerTests.this.heard.add(this.name + " closed " + resource + " with " + token);
        }

        @Override
        public void lateRegistration(String resource) {
            CompositeExitStackListenerTests.this.heard.add(this.name + " late " + resource);
        }

    }

}
