package io.github.managedscopes.benchmarks;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import io.github.managedscopes.micrometer.ManagedScopesMeters;
import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.ScopeListener;
import io.github.managedscopes.spring.reactive.ExchangeScopes;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import org.springframework.web.server.adapter.HttpWebHandlerAdapter;
import org.springframework.web.server.handler.FilteringWebHandler;
import org.springframework.web.server.handler.WebHandlerDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The arms of the Spring, metrics, request and exchange comparisons do the same work, and the
 * managed arms really go through the starter's advisor, listener and filter.
 */
class SpringArmsTests {

    private final Blackhole bh = BenchmarkArmsTests.blackhole();

    private final ManagedScopes scopes = new ManagedScopes(ScopeListener.NONE, null);

    @AfterEach
    void uninstallScopes() {
        this.scopes.destroy();
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void theManagedProxyRegistersWhatItReturnsOnTheScopeAndTheNoOpProxyLeavesItToTheCaller(boolean classProxy)
            throws Exception {
        ReentrantLock lock = new ReentrantLock();
        AnnotatedLockOpener target = new AnnotatedLockOpener(lock, 7);
        LockOpener managed = Proxies.proxy(target, Proxies.managedResourceAdvisor(), classProxy);
        LockOpener noOp = Proxies.proxy(target, Proxies.noOpAdvisor(), classProxy);

        ManagedScopes.run(() -> {
            managed.open();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
        });
        assertThat(lock.isLocked()).isFalse();

        LockHolder[] leftOpen = new LockHolder[1];
        ManagedScopes.run(() -> leftOpen[0] = noOp.open());
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        leftOpen[0].close();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void everyManagedResourceArmReleasesWhatItLockedAndEveryUnannotatedArmAddsTheSame() throws Exception {
        ManagedResourceBenchmark benchmark = new ManagedResourceBenchmark();
        benchmark.createProxies();
        for (Method arm : BenchmarkArmsTests.benchmarkMethods(ManagedResourceBenchmark.class)) {
            if (arm.getParameterCount() == 1) {
                arm.invoke(benchmark, this.bh);
            }
            else {
                assertThat(arm.invoke(benchmark)).as(arm.getName()).isEqualTo(49L);
            }
            assertThat(benchmark.lockHeld()).as(arm.getName()).isFalse();
        }
        benchmark.uninstallScopes();
    }

    @Test
    void everyMetricsArmReleasesWhatItLockedAndMetricsSeeEveryResourceClosed() throws Exception {
        MetricsBenchmark benchmark = new MetricsBenchmark();
        for (Method arm : BenchmarkArmsTests.benchmarkMethods(MetricsBenchmark.class)) {
            arm.invoke(benchmark, this.bh);
            assertThat(benchmark.lockHeld()).as(arm.getName()).isFalse();
        }
        assertThat(benchmark.openResources()).isZero();
        benchmark.closeMetrics();
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 8 })
    void theHandInstrumentedArmTimesEveryResourceAndLeavesNoneCountedOpen(int resources) throws Exception {
        MetricsBenchmark benchmark = new MetricsBenchmark();
        FunctionTimer held = benchmark.handRegistry()
            .get(ManagedScopesMeters.RESOURCES_HELD)
            .tag(ManagedScopesMeters.RESOURCE, "lock")
            .tag(ManagedScopesMeters.OUTCOME, ManagedScopesMeters.CLOSED)
            .functionTimer();
        double before = held.count();

        MetricsBenchmark.class.getMethod("handInstrumented" + resources, Blackhole.class).invoke(benchmark, this.bh);

        assertThat(held.count() - before).isEqualTo((double) resources);
        assertThat(benchmark.handRegistry().get(ManagedScopesMeters.RESOURCES_OPEN).gauge().value()).isZero();
        assertThat(benchmark.lockHeld()).isFalse();
        benchmark.closeMetrics();
    }

    @Test
    void theHandInstrumentedArmsUseMetersTheLibraryPublishesForTheSameResource() {
        MetricsBenchmark benchmark = new MetricsBenchmark();
        benchmark.metricsOn1(this.bh);

        List<Meter.Id> library = benchmark.registry().getMeters().stream().map(Meter::getId).toList();
        assertThat(benchmark.handRegistry().getMeters()).extracting(Meter::getId)
            .hasSize(2)
            .allSatisfy((id) -> assertThat(library).contains(id));
        benchmark.closeMetrics();
    }

    @Test
    void bothRequestFilterArmsRunTheApplicationOnce() throws Exception {
        RequestFilterBenchmark benchmark = new RequestFilterBenchmark();
        benchmark.withoutStarter();
        assertThat(benchmark.handled()).isEqualTo(1);
        benchmark.withStarter();
        assertThat(benchmark.handled()).isEqualTo(2);
    }

    @Test
    void theManagedRequestRegistersItsThreeResourcesOnTheRequestScopeAndBothArmsReleaseThem() throws Exception {
        ManagedRequestBenchmark benchmark = new ManagedRequestBenchmark();
        benchmark.bindRequest();
        try {
            benchmark.plain();
            assertThat(benchmark.lockHeld()).isFalse();
            assertThat(benchmark.registry().find("managedscopes.resources.held").meters()).isEmpty();
            benchmark.managed();
            benchmark.managed();
            assertThat(benchmark.lockHeld()).isFalse();
            assertThat(benchmark.registry()
                .get("managedscopes.resources.held")
                .tags("resource", "lock", "outcome", "closed")
                .functionTimer()
                .count()).isEqualTo(6);
            assertThat(benchmark.registry()
                .get("managedscopes.scopes")
                .tags("kind", "request", "outcome", "success")
                .timer()
                .count()).isEqualTo(2);
            assertThat(benchmark.registry().get("managedscopes.resources.open").gauge().value()).isZero();
        }
        finally {
            benchmark.unbindRequest();
        }
    }

    @Test
    void everyExchangeArmRunsTheApplicationOnceThroughItsOwnFilters() throws Exception {
        ExchangeScopeBenchmark benchmark = new ExchangeScopeBenchmark();
        long handled = 0;
        for (Method arm : BenchmarkArmsTests.benchmarkMethods(ExchangeScopeBenchmark.class)) {
            assertThat(arm.invoke(benchmark)).as(arm.getName()).isNotNull();
            assertThat(benchmark.handled()).as(arm.getName()).isEqualTo(++handled);
        }
        assertThat(filtersOf(benchmark.handler("withoutStarter"))).isEmpty();
        assertThat(filtersOf(benchmark.handler("withStarter"))).singleElement().isInstanceOf(ExchangeScopes.class);
        assertThat(filtersOf(benchmark.handler("withPassThroughFilter"))).singleElement()
            .isInstanceOf(ExchangeScopeBenchmark.PassThroughFilter.class);
    }

    private static List<WebFilter> filtersOf(HttpHandler handler) {
        WebHandler exceptionHandling = ((HttpWebHandlerAdapter) handler).getDelegate();
        return ((FilteringWebHandler) ((WebHandlerDecorator) exceptionHandling).getDelegate()).getFilters();
    }

}
