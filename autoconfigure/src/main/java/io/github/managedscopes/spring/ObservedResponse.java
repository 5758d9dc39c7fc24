package io.github.managedscopes.spring;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * The response a streaming handler's producer writes to, for a request with a scope: a write
 * or flush that fails (the client has gone) ends the scope with that failure, on the
 * producer's thread, as the failure reaches the producer. That is the one signal of a hang-up
 * that always comes, and it comes when the producer stops, not while it still works.
 */
final class ObservedResponse extends HttpServletResponseWrapper {

    private final RequestScopeLifecycle lifecycle;

    private @Nullable ServletOutputStream stream;

    private volatile @Nullable Thread handling;

    ObservedResponse(HttpServletResponse response, RequestScopeLifecycle lifecycle) {
        super(response);
        this.lifecycle = lifecycle;
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        ServletOutputStream stream = this.stream;
        if (stream == null) {
            try {
                stream = new ObservedStream(super.getOutputStream());
            }
            catch (IOException ex) {
                throw gone(ex);
            }
            this.stream = stream;
        }
        return stream;
    }

    @Override
    public void flushBuffer() throws IOException {
        try {
            super.flushBuffer();
        }
        catch (IOException ex) {
            throw gone(ex);
        }
    }

    /**
     * While the return value handler runs on this thread, a failed write is its own (an
     * emitter's early events), not the producer's: the producer, perhaps already running, has
     * not seen it yet.
     */
    void handling(@Nullable Thread thread) {
        this.handling = thread;
    }

    private IOException gone(IOException failure) {
        this.lifecycle.clientGone(failure, Thread.currentThread() != this.handling);
        return failure;
    }

    private final class ObservedStream extends ServletOutputStream {

        private final ServletOutputStream delegate;

        ObservedStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                this.delegate.write(b);
            }
            catch (IOException ex) {
                throw gone(ex);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                this.delegate.write(b, off, len);
            }
            catch (IOException ex) {
                throw gone(ex);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                this.delegate.flush();
            }
            catch (IOException ex) {
                throw gone(ex);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                this.delegate.close();
            }
            catch (IOException ex) {
                throw gone(ex);
            }
        }

        @Override
        public boolean isReady() {
            return this.delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
            this.delegate.setWriteListener(writeListener);
        }

    }

}
