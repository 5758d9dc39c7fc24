package io.github.managedscopes.spring.reactive;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the WebFlux integration switched off, an {@code AsyncExitStack} handler parameter fails
 * naming the parameter and the switch, instead of resolving to a stack nothing unwinds (see
 * {@code docs/webflux.md}).
 */
@SpringBootTest(classes = ReactiveScopeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=reactive", "managed-scopes.webflux.enabled=false",
                "spring.web.error.include-message=always" })
class SwitchedOffExchangeScopeTests {

    @LocalServerPort
    int port;

    @Autowired
    ReactiveJournal journal;

    @Test
    void anAsyncExitStackParameterFailsNamingTheParameterAndTheSwitch() {
        WebTestClient client = WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + this.port)
            .responseTimeout(Duration.ofSeconds(30))
            .build();
        client.get()
            .uri("/empty")
            .exchange()
            .expectStatus()
            .is5xxServerError()
            .expectBody(String.class)
            .value((body) -> assertThat(body).contains("Cannot resolve parameter 'stack'")
                .contains("managed-scopes.webflux.enabled=false"));
        assertThat(this.journal.events()).isEmpty();
    }

}
