package io.github.managedscopes.reliability;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Attaches the {@link Ledger}'s appender again before each test of the servlet suite: any
 * Spring Boot application started in the test JVM since the ledger's (the reactive suite's,
 * say) initialises logging anew, which drops every appender, and the suite would then see no
 * ERROR line of a scope's unwind.
 */
class LedgerLogs implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        SpringExtension.getApplicationContext(context).getBean(Ledger.class).captureScopeErrors();
    }

}
