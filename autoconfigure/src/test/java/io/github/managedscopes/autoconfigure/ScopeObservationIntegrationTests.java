package io.github.managedscopes.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.managedscopes.micrometer.ScopeObservations;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request's scope as an observation over a real Tomcat (docs/observability.md, "Traces"):
 * the child of the HTTP server request's observation, with the request scope's keys.
 */
@SpringBootTest(classes = ObservabilityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(ScopeObservationIntegrationTests.Observations.class)
class ScopeObservationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    TestObservationRegistry observations;

    @Test
    void aRequestsScopeIsAChildOfTheRequestsObservation() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/resources?count=2")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(this.observations).hasObservationWithNameEqualTo(ScopeObservations.NAME)
                .that()
                .hasBeenStopped());
        assertThat(this.observations).hasObservationWithNameEqualTo(ScopeObservations.NAME)
            .that()
            .hasLowCardinalityKeyValue("kind", "request")
            .hasLowCardinalityKeyValue("outcome", "success")
            .hasLowCardinalityKeyValue("ending", "completed")
            .satisfies((scope) -> assertThat(scope.getParentObservation()).isNotNull()
                .satisfies((parent) -> assertThat(parent.getContextView().getName()).isEqualTo("http.server.requests")));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Observations {

        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }

    }

}
