package io.github.managedscopes.sample.bench;

import java.util.Arrays;

/**
 * A cheap real resource: a small buffer filled when opened and wiped when closed.
 */
public final class ScratchBuffer implements AutoCloseable {

    private static final int SIZE = 64;

    private final byte[] bytes = new byte[SIZE];

    private boolean closed;

    ScratchBuffer(byte seed) {
        Arrays.fill(this.bytes, seed);
    }

    /**
     * The sum of the buffer's bytes.
     * @return the sum
     * @throws IllegalStateException if the buffer is closed
     */
    public int sum() {
        if (this.closed) {
            throw new IllegalStateException("The scratch buffer is closed; use it before its scope ends");
        }
        int sum = 0;
        for (byte value : this.bytes) {
            sum += value;
        }
        return sum;
    }

    @Override
    public void close() {
        Arrays.fill(this.bytes, (byte) 0);
        this.closed = true;
    }

}
