package io.github.managedscopes.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the tests start on this machine, its output in a log file, stopped (SIGTERM, then
 * SIGKILL after 20 seconds) when closed.
 */
final class LocalProcess implements AutoCloseable {

    private final Process process;

    private final Path log;

    private LocalProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static LocalProcess start(Path log, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LocalProcess(process, log);
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    /** The last 20 lines of the process's output, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(this.log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        catch (IOException ex) {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "process " + this.process.pid() + " (output in " + this.log + ")";
    }

    @Override
    public void close() throws InterruptedException {
        this.process.destroy();
        if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
            this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

}
