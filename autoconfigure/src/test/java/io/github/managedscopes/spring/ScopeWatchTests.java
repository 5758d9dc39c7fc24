package io.github.managedscopes.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.ExitStack;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which scopes the registry watches for abandonment (with a cleaner registration, the costly
 * part of opening a scope): a scope that the frame which opened it is sure to end is watched
 * only once it escapes that frame, and a scope that nothing but its users can end is watched
 * from the start and reported abandoned when it is collected without having ended.
 */
class ScopeWatchTests {

    private final List<RegisteredScope> opened = new CopyOnWriteArrayList<>();

    private final List<ScopeEnding> endings = new CopyOnWriteArrayList<>();

    private final ScopeRegistry registry = new ScopeRegistry(new ScopeRegistry.Subscriber() {

        @Override
        public void scopeOpened(RegisteredScope scope) {
            ScopeWatchTests.this.opened.add(scope);
        }

        @Override
        public void scopeEnded(RegisteredScope scope, long durationNanos, boolean failed, ScopeEnding ending) {
            ScopeWatchTests.this.endings.add(ending);
        }

    }, false);

    private final ManagedScopes scopes = new ManagedScopes(this.registry, new ServletRequestScopes(this.registry));

    private final ManagedScopesRequestFilter filter = new ManagedScopesRequestFilter();

    @AfterEach
    void uninstall() {
        RequestContextHolder.resetRequestAttributes();
        this.scopes.destroy();
    }

    @Test
    void aMethodScopeIsWatchedOnlyWhileALeaseMayOutliveIt() throws Exception {
        ManagedScopes.run(() -> {
            assertThat(onlyOpened().isWatched()).as("watched before any lease").isFalse();
            try (Lease lease = ManagedScopes.lease()) {
                assertThat(onlyOpened().isWatched()).as("watched with a lease").isTrue();
            }
        });
        assertThat(onlyOpened().isWatched()).as("watched once ended").isFalse();
        assertThat(this.endings).containsExactly(ScopeEnding.RETURNED);
    }

    @Test
    void aRequestScopeOpenedInTheFiltersDispatchIsNotWatched() throws Exception {
        this.filter.doFilter(new MockHttpServletRequest("GET", "/orders"), new MockHttpServletResponse(),
                touchingTheStack((request) -> request));
        assertThat(onlyOpened().isWatched()).isFalse();
        assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED);
    }

    @Test
    void aRequestScopeOpenedThroughAWrapperOfTheFilteredRequestIsNotWatched() throws Exception {
        this.filter.doFilter(new MockHttpServletRequest("GET", "/orders"), new MockHttpServletResponse(),
                touchingTheStack(HttpServletRequestWrapper::new));
        assertThat(onlyOpened().isWatched()).isFalse();
        assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED);
    }

    @Test
    void aRequestScopeIsWatchedOnceItsRequestGoesAsynchronousAndNoLongerOnceItEnds() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
        request.setAsyncSupported(true);
        this.filter.doFilter(request, new MockHttpServletResponse(), touchingTheStack((bound) -> {
            bound.startAsync();
            return bound;
        }));
        assertThat(onlyOpened().isWatched()).as("watched after the dispatch").isTrue();
        assertThat(this.endings).isEmpty();
        request.getAsyncContext().complete();
        assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED);
        assertThat(onlyOpened().isWatched()).as("watched once ended").isFalse();
    }

    @Test
    void aRequestScopeOpenedOutsideTheFilterIsWatchedAndReportedAbandonedOnceCollected() {
        openARequestScopeWithoutTheFilter();
        assertThat(onlyOpened().isWatched()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return !this.endings.isEmpty();
        });
        assertThat(this.endings).containsExactly(ScopeEnding.ABANDONED);
        // It left the open scopes for the registry's record of abandoned ones, with what it leaked.
        assertThat(this.registry.snapshot().scopes()).isEmpty();
        assertThat(this.registry.abandonedScopes()).singleElement().satisfies((scope) -> {
            assertThat(scope.kind()).isEqualTo(ManagedScopes.REQUEST);
            assertThat(scope.resources()).extracting(ScopeRegistry.ResourceView::name).containsExactly("forgotten");
        });
    }

    @Test
    void aRequestScopeOpenedOnAnotherThreadThanTheFiltersIsWatched() throws Exception {
        this.filter.doFilter(new MockHttpServletRequest("GET", "/orders"), new MockHttpServletResponse(),
                (request, response) -> {
                    Thread other = new Thread(() -> {
                        RequestContextHolder.setRequestAttributes(
                                new ServletRequestAttributes((HttpServletRequest) request));
                        ManagedScopes.current().register(() -> {
                        }, "elsewhere");
                    });
                    other.start();
                    try {
                        other.join();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    assertThat(onlyOpened().isWatched()).isTrue();
                });
        assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED);
        assertThat(onlyOpened().isWatched()).isFalse();
    }

    @Test
    void aNestedDispatchOfTheSameRequestEndsTheScopeItFindsAndTheOuterDispatchOpensAnother() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
        MockHttpServletResponse response = new MockHttpServletResponse();
        this.filter.doFilter(request, response, (outer, outerResponse) -> {
            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes((HttpServletRequest) outer));
            ExitStack first = ManagedScopes.current();
            // An error page forwarded to inside the dispatch: the filter runs again, on a wrapper.
            this.filter.doFilter(new HttpServletRequestWrapper((HttpServletRequest) outer), outerResponse,
                    (nested, nestedResponse) -> {
                        RequestContextHolder.setRequestAttributes(
                                new ServletRequestAttributes((HttpServletRequest) nested));
                        assertThat(ManagedScopes.current()).isSameAs(first);
                    });
            assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED);
            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes((HttpServletRequest) outer));
            assertThat(ManagedScopes.current()).isNotSameAs(first);
            RequestContextHolder.resetRequestAttributes();
        });
        assertThat(this.opened).hasSize(2);
        assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED, ScopeEnding.COMPLETED);
    }

    @Test
    void aScopeItsDispatchEndedCountsAsNoneThoughItStaysInTheRequestsAttribute() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
        this.filter.doFilter(request, new MockHttpServletResponse(), touchingTheStack((bound) -> bound));
        assertThat(request.getAttribute(ServletRequestScopes.SCOPE_ATTRIBUTE)).isNotNull();
        assertThat(RequestScopeLifecycle.of(request)).isNull();
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        assertThat(ManagedScopes.scopeAlreadyOpen()).isNull();
        // A later dispatch of the request (an error page) opens a scope of its own.
        this.filter.doFilter(request, new MockHttpServletResponse(), touchingTheStack((bound) -> bound));
        assertThat(this.opened).hasSize(2);
        assertThat(this.endings).containsExactly(ScopeEnding.COMPLETED, ScopeEnding.COMPLETED);
    }

    @Test
    void theRegistryKeepsTheMostRecentAbandonedScopesOnly() {
        for (int i = 0; i < 40; i++) {
            this.registry.abandoned(new RegisteredScope(this.registry, "scope-" + i, System.nanoTime()), List.of());
        }
        assertThat(this.registry.abandonedScopes()).extracting(ScopeRegistry.ScopeView::kind)
            .hasSize(32)
            .startsWith("scope-8")
            .endsWith("scope-39");
    }

    /** Leaves nothing that refers to the request or its scope but the registry's record. */
    private void openARequestScopeWithoutTheFilter() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        ManagedScopes.current().register(() -> {
        }, "forgotten");
        RequestContextHolder.resetRequestAttributes();
    }

    private static FilterChain touchingTheStack(Binding binding) {
        return (request, response) -> {
            HttpServletRequest bound = binding.bind((HttpServletRequest) request);
            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(bound));
            try {
                ManagedScopes.current().register(() -> {
                }, "connection");
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            finally {
                RequestContextHolder.resetRequestAttributes();
            }
        };
    }

    private RegisteredScope onlyOpened() {
        assertThat(this.opened).hasSize(1);
        return this.opened.get(0);
    }

    @FunctionalInterface
    private interface Binding {

        HttpServletRequest bind(HttpServletRequest request);

    }

}
