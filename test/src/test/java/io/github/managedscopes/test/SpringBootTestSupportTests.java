package io.github.managedscopes.test;

import io.github.managedscopes.spring.ScopeRegistry;
import io.github.managedscopes.test.fixture.WebClients;
import io.github.managedscopes.test.fixture.WebFixtureApplication;
import org.junit.jupiter.api.RepeatedTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CheckManagedScopes} on a {@code @SpringBootTest} over a real Tomcat: each request's
 * scope opens and registers a resource on the server's thread and unwinds after the response;
 * the extension reads the context's {@link ScopeRegistry}, waits for that unwind and passes.
 * (Its failing counterpart, {@code LeakingWebScenario}, runs in {@code ManagedScopesExtensionTests}.)
 */
@SpringBootTest(classes = WebFixtureApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "managed-scopes.leak-detection.threshold=10m")
@CheckManagedScopes
class SpringBootTestSupportTests {

    @LocalServerPort
    int port;

    @Autowired
    ScopeRegistry registry;

    @RepeatedTest(3)
    void passesWhenEveryRequestScopeUnwindsAfterItsResponse() throws Exception {
        assertThat(WebClients.get(this.port, "/report")).isEqualTo("report");
    }

}
