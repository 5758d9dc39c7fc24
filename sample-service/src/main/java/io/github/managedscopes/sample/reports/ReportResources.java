package io.github.managedscopes.sample.reports;

import java.io.IOException;
import java.sql.SQLException;

import io.github.managedscopes.sample.SampleProperties;
import io.github.managedscopes.spring.ManagedResource;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * What a report export opens. Both are registered on the request's stack, so they stay open
 * while the export streams and close when it ends, the client's disconnect included.
 */
@Component
public class ReportResources {

    private final DataSource dataSource;

    private final SampleProperties properties;

    public ReportResources(DataSource dataSource, SampleProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    @ManagedResource(name = "document-cursor")
    public DocumentCursor openDocumentCursor() throws SQLException {
        return DocumentCursor.open(this.dataSource);
    }

    @ManagedResource(name = "export-spool")
    public SpoolFile openSpool() throws IOException {
        return SpoolFile.create(this.properties.spool());
    }

}
