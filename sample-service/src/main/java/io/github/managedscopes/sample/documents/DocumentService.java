package io.github.managedscopes.sample.documents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.github.managedscopes.sample.SampleProperties;
import io.github.managedscopes.spring.TransactionHooks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores documents: the payload in a file, the metadata in a row, both or neither.
 */
@Service
public class DocumentService {

    private final JdbcTemplate jdbc;

    /**
     * Looked up at each upload rather than injected, so that the service also starts with
     * {@code managed-scopes.enabled=false}, as the load harness runs it (uploads then fail,
     * before any file is written).
     */
    private final ObjectProvider<TransactionHooks> hooks;

    private final Path storage;

    public DocumentService(JdbcTemplate jdbc, ObjectProvider<TransactionHooks> hooks, SampleProperties properties)
            throws IOException {
        this.jdbc = jdbc;
        this.hooks = hooks;
        this.storage = Files.createDirectories(properties.storage());
    }

    /**
     * Writes the payload to a file and inserts its row in one transaction. If the insert
     * fails (a duplicate name, say), the transaction rolls back and its rollback hook deletes
     * the file: no file without a row.
     */
    @Transactional
    public Document store(String name, byte[] payload) throws IOException {
        TransactionHooks hooks = this.hooks.getObject();
        Path file = Files.write(this.storage.resolve(UUID.randomUUID() + ".bin"), payload);
        hooks.onRollback(() -> Files.deleteIfExists(file));
        Instant now = Instant.now();
        KeyHolder keys = new GeneratedKeyHolder();
        this.jdbc.update((connection) -> {
            PreparedStatement insert = connection.prepareStatement(
                    "insert into documents (name, stored_path, size_bytes, created_at) values (?, ?, ?, ?)",
                    new String[] { "id" });
            insert.setString(1, name);
            insert.setString(2, file.toString());
            insert.setLong(3, payload.length);
            insert.setTimestamp(4, Timestamp.from(now));
            return insert;
        }, keys);
        return new Document(keys.getKeyAs(Number.class).longValue(), name, payload.length, now);
    }

    public Optional<Document> find(long id) {
        List<Document> found = this.jdbc.query(
                "select id, name, size_bytes, created_at from documents where id = ?",
                (row, index) -> new Document(row.getLong(1), row.getString(2), row.getLong(3),
                        row.getTimestamp(4).toInstant()),
                id);
        return found.stream().findFirst();
    }

    public Optional<Path> storedFile(long id) {
        List<String> paths = this.jdbc.queryForList("select stored_path from documents where id = ?", String.class,
                id);
        return paths.stream().findFirst().map(Path::of);
    }

}
