package io.github.managedscopes.sample.reports;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.managedscopes.sample.SampleProperties;
import io.github.managedscopes.spring.ManagedResource;

import org.springframework.stereotype.Component;

/**
 * The directory report exports are spooled to.
 */
@Component
public class SpoolDirectory {

    private final Path directory;

    public SpoolDirectory(SampleProperties properties) {
        this.directory = properties.spool();
    }

    /**
     * Lists the spool files; the listing closes when the innermost scope ends.
     */
    @ManagedResource(name = "spool-listing")
    public DirectoryStream<Path> list() throws IOException {
        return Files.newDirectoryStream(Files.createDirectories(this.directory));
    }

}
