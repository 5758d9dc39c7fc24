package io.github.managedscopes.sample.documents;

import java.time.Instant;

/**
 * A stored document.
 *
 * @param id its id
 * @param name its unique name
 * @param sizeBytes its size
 * @param createdAt when it was stored
 */
public record Document(long id, String name, long sizeBytes, Instant createdAt) {

}
