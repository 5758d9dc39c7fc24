package io.github.managedscopes.spring;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The transaction contract on H2 in memory: runs everywhere.
 */
class H2TransactionHooksTests extends TransactionHooksContractTests {

    @Override
    HikariDataSource dataSource() {
        return TestDatabases.h2();
    }

}
