package io.github.managedscopes.sample.bench;

import org.springframework.stereotype.Component;

/**
 * Opens scratch buffers that the caller closes, with try-with-resources: the hand-written
 * arm of the load harness.
 */
@Component
public class ScratchBuffers {

    public ScratchBuffer first() {
        return new ScratchBuffer((byte) 1);
    }

    public ScratchBuffer second() {
        return new ScratchBuffer((byte) 2);
    }

    public ScratchBuffer third() {
        return new ScratchBuffer((byte) 3);
    }

}
