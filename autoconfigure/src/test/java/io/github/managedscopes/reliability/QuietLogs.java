package io.github.managedscopes.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Quiets the loggers that would print a stack trace for each of the suite's tens of thousands
 * of injected exceptions, while a test class of the suite runs, and restores them afterwards:
 * logback's levels belong to the JVM, not to the application context, and other tests read
 * these loggers' output. The logger whose events the suite's ledger captures (the servlet
 * suite's: the ERROR lines of a scope's unwind) keeps its level but stops printing. The
 * reactive variant names its own loggers through the protected constructor.
 */
public class QuietLogs implements BeforeEachCallback, AfterAllCallback {

    private static final Map<String, Level> QUIET = Map.of(
            "io.github.managedscopes.spring.TransactionHooks", Level.OFF,
            "io.github.managedscopes.spring.UnwindLog", Level.ERROR,
            "io.github.managedscopes.micrometer", Level.ERROR,
            "org.apache.catalina.core", Level.OFF,
            "org.apache.catalina.connector", Level.OFF,
            "org.apache.coyote", Level.OFF,
            "org.springframework.web", Level.OFF);

    private final Map<String, Level> quiet;

    private final String captured;

    private final Map<String, Level> saved = new LinkedHashMap<>();

    private boolean savedAdditivity = true;

    QuietLogs() {
        this(QUIET, "io.github.managedscopes.spring.UnwindLog");
    }

    /**
     * Quiets other loggers.
     * @param quiet the level of each logger to quiet while the suite runs
     * @param captured the logger whose events a ledger captures: it stops printing
     */
    protected QuietLogs(Map<String, Level> quiet, String captured) {
        this.quiet = quiet;
        this.captured = captured;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!this.saved.isEmpty()) {
            return;
        }
        this.quiet.forEach((name, level) -> {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            this.saved.put(name, logger.getLevel());
            logger.setLevel(level);
        });
        Logger scope = (Logger) LoggerFactory.getLogger(this.captured);
        this.savedAdditivity = scope.isAdditive();
        scope.setAdditive(false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        this.saved.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
        ((Logger) LoggerFactory.getLogger(this.captured)).setAdditive(this.savedAdditivity);
        this.saved.clear();
    }

}
