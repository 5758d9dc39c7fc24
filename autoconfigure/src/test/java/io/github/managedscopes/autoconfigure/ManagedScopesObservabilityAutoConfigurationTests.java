package io.github.managedscopes.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.micrometer.ManagedScopesMetrics;
import io.github.managedscopes.spring.ManagedScopes;
import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeListener;
import io.github.managedscopes.spring.ScopeRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of the meters, of the actuator endpoint, and of listener composition:
 * defaults, back-off, switches and missing libraries.
 */
class ManagedScopesObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                EndpointAutoConfiguration.class, ManagedScopesAutoConfiguration.class,
                ManagedScopesMetricsAutoConfiguration.class, ManagedScopesEndpointAutoConfiguration.class));

    @Test
    void publishesTheMetersOfScopesThroughTheApplicationsMeterRegistry() {
        this.runner.run((context) -> {
            assertThat(context).hasSingleBean(ManagedScopesMetrics.class)
                .hasSingleBean(ScopeRegistry.class)
                .doesNotHaveBean(ManagedScopesEndpoint.class);
            runAScopeWithAResource();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("managedscopes.resources.held").tags("resource", "probe", "outcome", "closed").functionTimer().count())
                .isEqualTo(1);
            assertThat(registry.get("managedscopes.scopes").tags("kind", "programmatic", "outcome", "success").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void turnsEveryMeterOffWithBootsMeterFilter() {
        this.runner.withPropertyValues("management.metrics.enable.managedscopes=false").run((context) -> {
            runAScopeWithAResource();
            assertThat(context.getBean(MeterRegistry.class).find("managedscopes.resources.held").meters()).isEmpty();
            assertThat(context.getBean(MeterRegistry.class).getMeters())
                .noneMatch((meter) -> meter.getId().getName().startsWith("managedscopes"));
        });
    }

    @Test
    void publishesNoMetersWhenMetricsAreDisabled() {
        this.runner.withPropertyValues("managed-scopes.metrics.enabled=false")
            .run((context) -> assertThat(context).hasSingleBean(ManagedScopes.class)
                .doesNotHaveBean(ManagedScopesMetrics.class));
    }

    @Test
    void publishesNoMetersWithoutAMeterRegistry() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class,
                    ManagedScopesMetricsAutoConfiguration.class))
            .run((context) -> assertThat(context).hasSingleBean(ManagedScopes.class)
                .doesNotHaveBean(ManagedScopesMetrics.class));
    }

    @Test
    void backsOffWhenTheUserDefinesTheMetrics() {
        this.runner
            .withBean("userMetrics", ManagedScopesMetrics.class, () -> new ManagedScopesMetrics(new SimpleMeterRegistry()))
            .run((context) -> assertThat(context).getBean(ManagedScopesMetrics.class)
                .isSameAs(context.getBean("userMetrics")));
    }

    @Test
    void worksWithoutMicrometer() {
        this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core."))
            .run((context) -> {
                assertThat(context).hasNotFailed()
                    .hasSingleBean(ManagedScopes.class)
                    .doesNotHaveBean(ManagedScopesMetrics.class);
                runAScopeWithAResource();
            });
    }

    @Test
    void worksWithoutActuator() {
        this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
            .withPropertyValues("management.endpoints.web.exposure.include=managedscopes")
            .run((context) -> {
                assertThat(context).hasNotFailed()
                    .hasSingleBean(ManagedScopesMetrics.class)
                    .doesNotHaveBean(ManagedScopesEndpoint.class);
                runAScopeWithAResource();
            });
    }

    @Test
    void providesTheEndpointOnlyWhenItIsExposed() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(ManagedScopesEndpoint.class));
        this.runner.withPropertyValues("management.endpoints.web.exposure.include=managedscopes")
            .run((context) -> assertThat(context).hasSingleBean(ManagedScopesEndpoint.class)
                .hasSingleBean(ScopeRegistry.class));
    }

    @Test
    void reportsToEveryListenerInOrder() {
        List<String> heard = new CopyOnWriteArrayList<>();
        this.runner.withBean("second", ScopeListener.class, () -> new Named("second", heard))
            .withBean("first", FirstListener.class, () -> new FirstListener(heard))
            .run((context) -> {
                runAScopeWithAResource();
                assertThat(heard).containsExactly("first opened", "second opened", "first closed", "second closed");
                assertThat(context.getBean(MeterRegistry.class)
                    .get("managedscopes.resources.held")
                    .tags("resource", "probe", "outcome", "closed")
                    .functionTimer()
                    .count()).isEqualTo(1);
            });
    }

    @Test
    void keepsASingleListenerAsItIs() {
        ExitStackListener only = new ExitStackListener() {
        };
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
            .withBean(ExitStackListener.class, () -> only)
            .run((context) -> assertThat(context.getBean(ManagedScopesListeners.class).stacks()).isSameAs(only));
    }

    private static void runAScopeWithAResource() throws Exception {
        ManagedScopes.run(() -> ManagedScopes.current().register(() -> {
        }, "probe"));
    }


    /** A listener that notes when scopes open and close. */
    static class Named implements ScopeListener {

        private final String name;

        private final List<String> heard;

        Named(String name, List<String> heard) {
            this.name = name;
            this.heard = heard;
        }

        @Override
        public OpenScopeListener scopeOpened(String kind) {
            this.heard.add(this.name + " opened");
            return new OpenScopeListener() {
                @Override
                public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
                    Named.this.heard.add(Named.this.name + " closed");
                }
            };
        }

    }

    /** Ordered ahead of the other listeners. */
    @Order(-1)
    static class FirstListener extends Named {

        FirstListener(List<String> heard) {
            super("first", heard);
        }

    }

}
