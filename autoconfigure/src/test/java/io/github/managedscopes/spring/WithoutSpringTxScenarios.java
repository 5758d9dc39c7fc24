package io.github.managedscopes.spring;

import java.util.concurrent.Callable;

import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import io.github.managedscopes.autoconfigure.ManagedScopesTransactionAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applications that {@link WithoutSpringTxTests} starts in a class loader without spring-tx.
 * Nothing here may name a spring-tx type.
 */
final class WithoutSpringTxScenarios {

    private WithoutSpringTxScenarios() {
    }

    /** Starts an application with a {@code SCOPE_END} resource and uses it in a scope. */
    public static final class ScopeEnd implements Callable<String> {

        @Override
        public String call() throws Exception {
            try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                    ScopeEndApplication.class)) {
                Resources resources = context.getBean(Resources.class);
                Journal journal = context.getBean(Journal.class);
                ManagedScopes.run(() -> resources.open("a").use());
                return "TransactionHooks beans: "
                        + context.getBeanNamesForType(Class.forName("io.github.managedscopes.spring.TransactionHooks",
                                false, getClass().getClassLoader())).length
                        + "; events: " + journal.events();
            }
        }

    }

    /** Starts an application with a {@code TRANSACTION_END} resource; returns the start-up failure. */
    public static final class TransactionEnd implements Callable<String> {

        @Override
        public String call() {
            try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                    TransactionEndApplication.class)) {
                return "started";
            }
            catch (RuntimeException ex) {
                Throwable cause = ex;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                return cause.getMessage();
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ ManagedScopesAutoConfiguration.class, ManagedScopesTransactionAutoConfiguration.class })
    static class ScopeEndApplication {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Resources resources(Journal journal) {
            return new Resources(journal);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ ManagedScopesAutoConfiguration.class, ManagedScopesTransactionAutoConfiguration.class })
    static class TransactionEndApplication {

        @Bean
        TransactionEndResources transactionEndResources() {
            return new TransactionEndResources();
        }

    }

    static class Resources {

        private final Journal journal;

        Resources(Journal journal) {
            this.journal = journal;
        }

        @ManagedResource
        public Probe open(String name) {
            return new Probe(name, this.journal);
        }

    }

    static class TransactionEndResources {

        @ManagedResource(closeAt = CloseAt.TRANSACTION_END)
        public AutoCloseable open() {
            return () -> {
            };
        }

    }

}
