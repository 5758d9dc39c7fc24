package io.github.managedscopes.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the tests observe a context through: a {@link Journal} of events and a
 * {@link RecordingListener} that the auto-configuration picks up as the application's listener.
 */
@Configuration(proxyBeanMethods = false)
class RecordingConfiguration {

    @Bean
    Journal journal() {
        return new Journal();
    }

    @Bean
    RecordingListener recordingListener() {
        return new RecordingListener();
    }

}
