package io.github.managedscopes.sample;

import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The end-to-end tests on the embedded default database, H2.
 */
class H2EndToEndTests extends SampleServiceEndToEndTests {

    private static final Path ROOT = createRoot("h2");

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        directories(registry, ROOT);
    }

    @Override
    Path root() {
        return ROOT;
    }

}
