package io.github.managedscopes.sample.documents;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.github.managedscopes.spring.ManagedResource;

import org.springframework.stereotype.Component;

/**
 * Opens stored documents. Callers read them and never close them: the channel closes when
 * the innermost scope ends.
 */
@Component
public class StoredFiles {

    @ManagedResource(name = "stored-file")
    public FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

}
