package io.github.managedscopes.sample.documents;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.managedscopes.sample.SampleProperties;
import io.github.managedscopes.spring.ManagedScopes;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Document intake: upload, look up, checksum.
 */
@RestController
@RequestMapping("/documents")
class DocumentController {

    private final DocumentService documents;

    private final Checksums checksums;

    private final long maxUpload;

    DocumentController(DocumentService documents, Checksums checksums, SampleProperties properties) {
        this.documents = documents;
        this.checksums = checksums;
        this.maxUpload = properties.maxUpload().toBytes();
    }

    @PostMapping
    ResponseEntity<Document> upload(@RequestParam String name, HttpServletRequest request) throws IOException {
        if (name.isBlank() || name.length() > 200) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'name' must be 1 to 200 characters");
        }
        byte[] payload;
        try (InputStream body = request.getInputStream()) {
            payload = body.readNBytes((int) this.maxUpload + 1);
        }
        if (payload.length == 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The document must not be empty");
        }
        if (payload.length > this.maxUpload) {
            throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE,
                    "Documents may be at most " + this.maxUpload + " bytes");
        }
        Document document = this.documents.store(name, payload);
        return ResponseEntity.created(URI.create("/documents/" + document.id())).body(document);
    }

    @GetMapping("/{id}")
    Document get(@PathVariable long id) {
        return this.documents.find(id).orElseThrow(() -> notFound(id));
    }

    @GetMapping("/{id}/checksum")
    CompletableFuture<Map<String, String>> checksum(@PathVariable long id) {
        return this.checksums.sha256(this.documents.storedFile(id).orElseThrow(() -> notFound(id)),
                ManagedScopes.lease())
            .thenApply((sha256) -> Map.of("sha256", sha256));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicate(DuplicateKeyException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "A document with that name exists already");
        problem.setTitle("Duplicate document");
        return problem;
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No document has id " + id);
    }

}
