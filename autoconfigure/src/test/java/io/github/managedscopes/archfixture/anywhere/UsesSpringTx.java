package io.github.managedscopes.archfixture.anywhere;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Test fixture for {@code LayerArchitectureTest}: a class outside the transaction ones that
 * uses spring-tx, to prove the rule against it can fail.
 */
public final class UsesSpringTx {

    private UsesSpringTx() {
    }

    public static boolean active() {
        return TransactionSynchronizationManager.isSynchronizationActive();
    }

}
