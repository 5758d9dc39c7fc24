package io.github.managedscopes.reliability.reactive;

import java.util.Map;

import ch.qos.logback.classic.Level;
import io.github.managedscopes.reliability.QuietLogs;

/**
 * The reactive variant's quiet loggers: Spring's and Reactor Netty's, which would log each
 * injected failure and each hang-up, and the exchange scope's, whose events the
 * {@link ReactiveLedger} captures and charges instead of printing.
 */
final class ReactiveQuietLogs extends QuietLogs {

    ReactiveQuietLogs() {
        super(Map.of("io.github.managedscopes.micrometer", Level.ERROR, "org.springframework.web", Level.OFF,
                "org.springframework.boot.webflux", Level.OFF, "reactor.netty", Level.OFF),
                ReactiveLedger.SCOPE_LOGGER);
    }

}
