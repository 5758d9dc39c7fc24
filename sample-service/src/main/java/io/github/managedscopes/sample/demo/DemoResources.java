package io.github.managedscopes.sample.demo;

import java.io.IOException;

import io.github.managedscopes.spring.ManagedResource;

import org.springframework.stereotype.Component;

/**
 * Resources that misbehave on purpose, for the demo endpoints.
 */
@Component
public class DemoResources {

    /**
     * A connection whose close always fails with an IOException, which the annotation
     * swallows: logged once, counted in {@code managedscopes.exceptions.suppressed}.
     */
    @ManagedResource(name = "flaky-connection", suppress = IOException.class)
    public AutoCloseable flakyConnection() {
        return () -> {
            throw new IOException("connection reset while closing");
        };
    }

    /**
     * An export that stays open as long as the request that opened it.
     */
    @ManagedResource(name = "slow-export")
    public AutoCloseable slowExport() {
        return () -> {
        };
    }

}
