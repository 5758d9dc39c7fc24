package io.github.managedscopes.autoconfigure;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.managedscopes.ContextManagers;
import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.Lease;
import io.github.managedscopes.spring.ManagedScopes;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application with actuator and the Prometheus registry whose endpoints open
 * resources, and inject faults, in known numbers.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ObservabilityTestApplication.FaultController.class)
class ObservabilityTestApplication {

    @RestController
    static class FaultController {

        private final ExitStack requestStack;

        private final AtomicReference<Lease> held = new AtomicReference<>();

        FaultController(ExitStack requestStack) {
            this.requestStack = requestStack;
        }

        /** Opens {@code count} connections on the request's stack; they close when it ends. */
        @GetMapping("/resources")
        String resources(@RequestParam int count) {
            for (int i = 0; i < count; i++) {
                this.requestStack.register(() -> {
                }, "connection");
            }
            return "opened " + count;
        }

        /** A close that fails while the body's failure is in flight: suppressed, close-during-failure. */
        @GetMapping("/close-during-failure")
        String closeDuringFailure() throws Exception {
            try {
                ManagedScopes.run(() -> {
                    ManagedScopes.current().register(() -> {
                        throw new IOException("flush failed");
                    }, "report-file");
                    throw new IllegalStateException("body failed");
                });
            }
            catch (IllegalStateException expected) {
                // the body's failure propagates, carrying the close failure
            }
            return "failed";
        }

        /** A failure swallowed by an exit: suppressed, swallowed. */
        @GetMapping("/swallowed")
        String swallowed() throws Exception {
            ManagedScopes.run(() -> {
                ManagedScopes.current().enterContext(ContextManagers.suppress(IllegalArgumentException.class));
                throw new IllegalArgumentException("ignored");
            });
            return "swallowed";
        }

        /** A registration on a scope that has ended: leaked, late-registration. */
        @GetMapping("/late")
        String late() throws Exception {
            ExitStack ended = ManagedScopes.call(ManagedScopes::current);
            try {
                ended.register(() -> {
                }, "late-connection");
            }
            catch (IllegalStateException expected) {
                // refused, and closed at once
            }
            return "late";
        }

        /** Holds a connection open on the request's scope, through a lease, until {@code /release}. */
        @GetMapping("/hold")
        String hold() {
            this.requestStack.register(() -> {
            }, "held-connection");
            this.held.set(ManagedScopes.lease());
            return "holding";
        }

        @GetMapping("/release")
        String release() {
            Lease lease = this.held.getAndSet(null);
            if (lease != null) {
                lease.close();
            }
            return "released";
        }

    }

}
