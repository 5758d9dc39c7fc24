package io.github.managedscopes.sample.reactive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small WebFlux service: each exchange's {@code AsyncExitStack} closes the feeds it opened
 * when the response is written, fails, or the client hangs up mid-stream.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SampleReactiveApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleReactiveApplication.class, args);
    }

}
