package io.github.managedscopes.reliability.reactive;

import io.github.managedscopes.reliability.reactive.Probes.ManagedProbes;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.server.WebFilter;

/**
 * The application under test of the reactive variant: WebFlux on Reactor Netty with
 * Micrometer and the managed-scopes auto-configuration, and two controllers whose endpoints
 * do what the {@link ReactivePlan} in each request's header says. A {@code WebFilter} opens
 * each request's record in the {@link ReactiveLedger}; a {@code WebExceptionHandler} ordered
 * first notes the failure it is handed once the error has left the filter chain.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ MonoFaultController.class, StreamFaultController.class })
class ReactiveFaultApplication {

    static final String RECORD = ReactiveRecord.class.getName();

    @Bean
    ReactiveLedger reactiveLedger() {
        return new ReactiveLedger();
    }

    /** Where pipelines continue and asynchronous opens and closes complete: never a Netty thread. */
    @Bean(destroyMethod = "dispose")
    Scheduler reactiveWorkers() {
        return Schedulers.newParallel("rx-worker", 8);
    }

    @Bean
    ManagedProbes managedProbes(Scheduler reactiveWorkers) {
        return new ManagedProbes(reactiveWorkers);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    WebFilter planFilter(ReactiveLedger ledger) {
        return (exchange, chain) -> {
            String header = exchange.getRequest().getHeaders().getFirst(ReactivePlan.HEADER);
            if (header != null) {
                exchange.getAttributes().put(RECORD, ledger.open(ReactivePlan.decode(header)));
            }
            return chain.filter(exchange);
        };
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    WebExceptionHandler errorHandlerProbe() {
        return (ServerWebExchange exchange, Throwable error) -> {
            if (exchange.getAttribute(RECORD) instanceof ReactiveRecord record) {
                record.handlerSaw(error);
            }
            return Mono.error(error);
        };
    }

}
