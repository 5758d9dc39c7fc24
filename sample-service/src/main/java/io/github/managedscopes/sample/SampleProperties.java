package io.github.managedscopes.sample;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample service.
 *
 * @param storage where uploaded documents are kept
 * @param spool where report exports are spooled while they stream
 * @param maxUpload the largest document accepted
 * @param spoolRetention how old a left-over spool file must be before the sweeper deletes it
 */
@ConfigurationProperties("sample")
public record SampleProperties(Path storage, Path spool, DataSize maxUpload, Duration spoolRetention) {

}
