package io.github.managedscopes.sample.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import io.github.managedscopes.sample.SampleProperties;
import io.github.managedscopes.spring.ManagedScope;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes spool files left behind by a crash. Runs in a scope of its own: the directory
 * listing it opens is closed when a sweep ends, whatever happened.
 */
@Component
public class SpoolSweeper {

    private final SampleProperties properties;

    private final SpoolDirectory spool;

    public SpoolSweeper(SampleProperties properties, SpoolDirectory spool) {
        this.properties = properties;
        this.spool = spool;
    }

    @Scheduled(fixedDelayString = "${sample.sweep-interval:PT1M}")
    @ManagedScope
    public void sweep() throws IOException {
        Instant cutoff = Instant.now().minus(this.properties.spoolRetention());
        for (Path file : this.spool.list()) {
            if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                Files.deleteIfExists(file);
            }
        }
    }

}
