package io.github.managedscopes.sample.bench;

import io.github.managedscopes.spring.ManagedResource;

import org.springframework.stereotype.Component;

/**
 * Opens the same scratch buffers as {@link ScratchBuffers}, each registered on the request's
 * scope, which closes them when the request completes: the managed arm of the load harness.
 */
@Component
public class ManagedScratchBuffers {

    @ManagedResource(name = "bench-first")
    public ScratchBuffer first() {
        return new ScratchBuffer((byte) 1);
    }

    @ManagedResource(name = "bench-second")
    public ScratchBuffer second() {
        return new ScratchBuffer((byte) 2);
    }

    @ManagedResource(name = "bench-third")
    public ScratchBuffer third() {
        return new ScratchBuffer((byte) 3);
    }

}
