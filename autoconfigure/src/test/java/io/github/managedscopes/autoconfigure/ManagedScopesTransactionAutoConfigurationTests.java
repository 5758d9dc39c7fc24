package io.github.managedscopes.autoconfigure;

import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.spring.ManagedResourceAdvisor;
import io.github.managedscopes.spring.TransactionHooks;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration of {@link TransactionHooks}: defaults, back-off, the switch and spring-tx
 * missing.
 */
class ManagedScopesTransactionAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ManagedScopesAutoConfiguration.class, ManagedScopesTransactionAutoConfiguration.class));

    @Test
    void configuresTransactionHooksWhenSpringTxIsPresent() {
        this.runner.run((context) -> assertThat(context).hasSingleBean(TransactionHooks.class));
    }

    @Test
    void backsOffWhenTheUserDefinesTransactionHooks() {
        TransactionHooks mine = new TransactionHooks(() -> ExitStackListener.NONE);
        this.runner.withBean("myHooks", TransactionHooks.class, () -> mine).run((context) -> {
            assertThat(context).hasSingleBean(TransactionHooks.class);
            assertThat(context.getBean(TransactionHooks.class)).isSameAs(mine);
        });
    }

    @Test
    void configuresNoTransactionHooksWhenDisabled() {
        this.runner.withPropertyValues("managed-scopes.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(TransactionHooks.class));
    }

    @Test
    void configuresNoTransactionHooksWithoutSpringTxButKeepsTheRest() {
        this.runner.withClassLoader(new FilteredClassLoader(TransactionSynchronizationManager.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(TransactionHooks.class)
                .hasSingleBean(ManagedResourceAdvisor.class));
    }

    @Test
    void isListedInTheAutoConfigurationImports() throws Exception {
        String imports = new String(getClass().getClassLoader()
            .getResourceAsStream("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
            .readAllBytes());
        assertThat(imports.lines()).contains(ManagedScopesTransactionAutoConfiguration.class.getName());
    }

}
