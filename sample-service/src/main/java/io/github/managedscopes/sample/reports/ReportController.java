package io.github.managedscopes.sample.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;

import io.github.managedscopes.sample.documents.Document;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Report export: every document as CSV, read from a cursor into a spool file, then streamed.
 */
@RestController
class ReportController {

    private final ReportResources resources;

    ReportController(ReportResources resources) {
        this.resources = resources;
    }

    /**
     * Streams the report.
     * @param copies how many times to send it (1 to 1000), to make a long download
     * @param pauseMillis a pause between copies (0 to 1000), to make a slow one
     */
    @GetMapping(value = "/reports/documents.csv", produces = "text/csv")
    StreamingResponseBody documents(@RequestParam(defaultValue = "1") int copies,
            @RequestParam(defaultValue = "0") int pauseMillis) throws SQLException, IOException {
        if (copies < 1 || copies > 1000 || pauseMillis < 0 || pauseMillis > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "'copies' must be 1 to 1000 and 'pauseMillis' 0 to 1000");
        }
        DocumentCursor cursor = this.resources.openDocumentCursor();
        SpoolFile spool = this.resources.openSpool();
        return (out) -> {
            spool(cursor, spool);
            for (int i = 0; i < copies; i++) {
                Files.copy(spool.path(), out);
                out.flush();
                pause(pauseMillis);
            }
        };
    }

    private static void spool(DocumentCursor cursor, SpoolFile spool) throws IOException {
        try (OutputStream file = spool.output();
                Writer csv = new OutputStreamWriter(file, StandardCharsets.UTF_8)) {
            csv.write("id,name,size_bytes,created_at\n");
            while (cursor.next()) {
                Document document = cursor.current();
                csv.write(document.id() + "," + quote(document.name()) + "," + document.sizeBytes() + ","
                        + document.createdAt() + "\n");
            }
        }
        catch (SQLException ex) {
            throw new IOException("Reading the documents failed", ex);
        }
    }

    private static String quote(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static void pause(int millis) throws IOException {
        if (millis == 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while streaming the report", ex);
        }
    }

}
