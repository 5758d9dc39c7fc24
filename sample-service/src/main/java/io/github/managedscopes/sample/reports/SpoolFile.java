package io.github.managedscopes.sample.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary file an export is written to before it is sent, so that the database is read
 * at local speed whatever the client's. Closing it deletes it.
 */
public final class SpoolFile implements AutoCloseable {

    private final Path path;

    private SpoolFile(Path path) {
        this.path = path;
    }

    static SpoolFile create(Path directory) throws IOException {
        return new SpoolFile(Files.createTempFile(Files.createDirectories(directory), "export-", ".csv"));
    }

    public Path path() {
        return this.path;
    }

    public OutputStream output() throws IOException {
        return Files.newOutputStream(this.path);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(this.path);
    }

}
