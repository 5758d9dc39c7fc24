package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.spring.ManagedScopesListeners;
import io.github.managedscopes.spring.TransactionHooks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Auto-configuration of {@link TransactionHooks}, when spring-tx is on the classpath.
 */
@AutoConfiguration(after = ManagedScopesAutoConfiguration.class)
@ConditionalOnClass(TransactionSynchronizationManager.class)
@ConditionalOnBooleanProperty(name = "managed-scopes.enabled", matchIfMissing = true)
public final class ManagedScopesTransactionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TransactionHooks transactionHooks(ObjectProvider<ManagedScopesListeners> listeners) {
        return new TransactionHooks(() -> listeners.getIfAvailable(() -> ManagedScopesListeners.NONE).stacks());
    }

}
