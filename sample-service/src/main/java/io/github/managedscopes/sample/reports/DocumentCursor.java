package io.github.managedscopes.sample.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.sample.documents.Document;

import javax.sql.DataSource;

/**
 * Every document, read row by row from its own connection. Closing it closes the result
 * set, the statement and the connection, in that order.
 */
public final class DocumentCursor implements AutoCloseable {

    private final ExitStack resources;

    private final ResultSet rows;

    private DocumentCursor(ExitStack resources, ResultSet rows) {
        this.resources = resources;
        this.rows = rows;
    }

    static DocumentCursor open(DataSource dataSource) throws SQLException {
        try (ExitStack stack = new ExitStack()) {
            Connection connection = stack.register(dataSource.getConnection());
            PreparedStatement query = stack.register(connection
                .prepareStatement("select id, name, size_bytes, created_at from documents order by id"));
            ResultSet rows = stack.register(query.executeQuery());
            return new DocumentCursor(stack.popAll(), rows);
        }
    }

    public boolean next() throws SQLException {
        return this.rows.next();
    }

    public Document current() throws SQLException {
        return new Document(this.rows.getLong(1), this.rows.getString(2), this.rows.getLong(3),
                this.rows.getTimestamp(4).toInstant());
    }

    @Override
    public void close() {
        this.resources.close();
    }

}
