package io.github.managedscopes.reliability;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.managedscopes.ContextManager;
import io.github.managedscopes.reliability.FaultPlan.Tx;
import io.github.managedscopes.reliability.Faults.SwallowedCloseException;
import io.github.managedscopes.reliability.Faults.Type;
import io.github.managedscopes.spring.ManagedResource;
import io.github.managedscopes.spring.TransactionHooks;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/**
 * The application under test: real Tomcat, H2 with Spring transactions, Micrometer, and
 * {@link FaultController}, whose endpoints (one per kind of handler) do what the
 * {@link FaultPlan} in each request's header says. The outermost filter, the
 * {@code @ControllerAdvice} and the {@link Ledger} record what happened to each request.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ FaultController.class, BadInputController.class, BadInputController.NullResources.class,
        ReliabilityApplication.FaultResources.class, ReliabilityApplication.TxService.class,
        ReliabilityApplication.ErrorRecorder.class })
class ReliabilityApplication {

    static final String RECORD = RequestRecord.class.getName();

    @Bean
    Ledger ledger() {
        return new Ledger();
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService faultWorkers() {
        return Executors.newFixedThreadPool(16);
    }

    @Bean
    FilterRegistrationBean<PlanFilter> planFilter(Ledger ledger) {
        FilterRegistrationBean<PlanFilter> registration = new FilterRegistrationBean<>(new PlanFilter(ledger));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        return registration;
    }

    @Bean
    Object reliabilitySchema(JdbcTemplate jdbc) {
        jdbc.execute("create table if not exists rel_tx (id bigint primary key)");
        return "rel_tx";
    }

    /**
     * The outermost filter (defined before the auto-configured request filter, at the same
     * order): opens the request's record, catches what escapes the request filter, and marks
     * the record settled when the request is complete, after the scope's own completion.
     */
    static final class PlanFilter implements Filter {

        private final Ledger ledger;

        PlanFilter(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            String header = ((HttpServletRequest) request).getHeader(FaultPlan.HEADER);
            if (header == null) {
                chain.doFilter(request, response);
                return;
            }
            RequestRecord record = this.ledger.open(FaultPlan.decode(header));
            request.setAttribute(RECORD, record);
            try {
                chain.doFilter(request, response);
            }
            catch (Throwable ex) {
                record.filterSaw = ex;
                if (!response.isCommitted()) {
                    response.resetBuffer();
                    ((HttpServletResponse) response).setStatus(500);
                }
            }
            finally {
                record.interruptedAfterwards |= Thread.interrupted();
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(new Settle(record));
                }
                else {
                    if (record.scopesClosed.get() == 0 && record.plan.special() != FaultPlan.Special.ABANDON) {
                        record.problems.add("the request scope had not ended when the outermost filter returned");
                    }
                    record.settle();
                }
            }
        }

    }

    /** Settles an asynchronous request once every other completion listener has run. */
    private record Settle(RequestRecord record) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            this.record.interruptedAfterwards |= Thread.interrupted();
            this.record.settle();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }

    }

    /** The error handler: records what it handled. */
    @RestControllerAdvice
    static class ErrorRecorder {

        @ExceptionHandler(Throwable.class)
        void handle(Throwable failure, HttpServletRequest request, HttpServletResponse response) {
            if (request.getAttribute(RECORD) instanceof RequestRecord record) {
                if (record.adviceSaw != null) {
                    record.problems.add("error handler ran twice: " + record.adviceSaw + ", then " + failure);
                }
                record.adviceSaw = failure;
            }
            if (!response.isCommitted()) {
                response.setStatus((failure instanceof AsyncRequestTimeoutException) ? 503 : 500);
            }
        }

    }

    /** Resources opened through {@code @ManagedResource} methods; entering one may fail as planned. */
    static class FaultResources {

        @ManagedResource(name = "rel.managed", suppress = SwallowedCloseException.class)
        public Probe managed(RequestRecord record, int index) {
            record.entering(index);
            return new Probe(record, index);
        }

        @ManagedResource(name = "rel.close-method", closeMethod = "release", suppress = SwallowedCloseException.class)
        public Handle handle(RequestRecord record, int index) {
            record.entering(index);
            return new Handle(record, index);
        }

    }

    /** A resource that records its close and throws its planned close fault. */
    record Probe(RequestRecord record, int index) implements AutoCloseable {

        @Override
        public void close() {
            this.record.close(this.index);
        }

    }

    /** A resource that is not AutoCloseable, closed through {@code release()}. */
    record Handle(RequestRecord record, int index) {

        public void release() {
            this.record.close(this.index);
        }

    }

    /** A context manager whose enter and exit fail as planned, and which records what its exit is handed. */
    record ProbeContext(RequestRecord record, int index) implements ContextManager<ProbeContext> {

        @Override
        public ProbeContext enter() {
            this.record.entering(this.index);
            return this;
        }

        @Override
        public boolean exit(@Nullable Throwable failure) {
            this.record.contextSaw.put(this.index, Faults.describe(failure));
            this.record.close(this.index);
            return false;
        }

    }

    /** The transaction step: a row written on H2, a rollback hook and a commit hook, and maybe a rollback. */
    static class TxService {

        private final JdbcTemplate jdbc;

        private final TransactionHooks hooks;

        TxService(JdbcTemplate jdbc, TransactionHooks hooks) {
            this.jdbc = jdbc;
            this.hooks = hooks;
        }

        @Transactional
        public void write(RequestRecord record) {
            Tx tx = record.plan.tx();
            // A row of its own: requests sharing rows waited on each other's locks, and under load past
            // H2's lock time-out (one second), which failed the request in a way its plan did not foresee.
            this.jdbc.update("merge into rel_tx (id) key (id) values (?)", record.plan.id());
            this.hooks.onRollback(() -> {
                record.rollbackHookRuns.incrementAndGet();
                record.maybeThrow(tx.rollbackHookFault(), "hook-rollback");
            });
            this.hooks.onCommit(() -> {
                record.commitHookRuns.incrementAndGet();
                record.maybeThrow(tx.commitHookFault(), "hook-commit");
            });
            if (tx.rollback()) {
                throw (RuntimeException) record.inject(Type.RUNTIME, "rollback");
            }
        }

    }

}
