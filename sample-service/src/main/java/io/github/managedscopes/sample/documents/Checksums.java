package io.github.managedscopes.sample.documents;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

import io.github.managedscopes.spring.Lease;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Computes checksums of stored documents on the application's task executor. The request's
 * scope is propagated to it, so the file it opens is registered on the request's stack; the
 * lease keeps that scope open until the work is done.
 */
@Service
public class Checksums {

    private final StoredFiles files;

    public Checksums(StoredFiles files) {
        this.files = files;
    }

    @Async
    public CompletableFuture<String> sha256(Path file, Lease lease) {
        try (lease) {
            FileChannel channel = this.files.open(file);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return CompletableFuture.completedFuture(HexFormat.of().formatHex(digest.digest()));
        }
        catch (IOException | NoSuchAlgorithmException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

}
