package io.github.managedscopes.spring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread model the request scope tests ran on: virtual threads for Tomcat's requests and
 * for {@code @Async} work exactly when {@code spring.threads.virtual.enabled=true} is set (the
 * Maven profile {@code virtual-threads} sets it) on a JDK that has them, platform threads
 * otherwise. It runs the application of {@link RequestScopeIntegrationTests}, so a run of the
 * profile that silently fell back to platform threads fails here. Its context is closed
 * afterwards rather than cached for {@link RequestScopeIntegrationTests}: the application
 * installs the static {@code ManagedScopes} facade, which the contexts of the tests run in
 * between would replace.
 */
@SpringBootTest(classes = RequestScopeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "spring.task.execution.propagate-context=true")
@DirtiesContext
class ThreadModelTests {

    private static final boolean VIRTUAL = Boolean.getBoolean("spring.threads.virtual.enabled")
            && Runtime.version().feature() >= 21;

    @Autowired
    private WebServerApplicationContext context;

    @Autowired
    @Qualifier("applicationTaskExecutor")
    private Executor taskExecutor;

    @Test
    void tomcatServesRequestsOnVirtualThreadsExactlyWhenTheyAreEnabled() throws Exception {
        Executor tomcat = ((TomcatWebServer) this.context.getWebServer()).getTomcat()
            .getConnector()
            .getProtocolHandler()
            .getExecutor();
        assertThat(isVirtual(threadOf(tomcat))).as("Tomcat's request thread is virtual").isEqualTo(VIRTUAL);
    }

    @Test
    void asyncWorkRunsOnVirtualThreadsExactlyWhenTheyAreEnabled() throws Exception {
        assertThat(isVirtual(threadOf(this.taskExecutor))).as("the @Async thread is virtual").isEqualTo(VIRTUAL);
    }

    private static Thread threadOf(Executor executor) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        executor.execute(() -> thread.complete(Thread.currentThread()));
        return thread.get(10, TimeUnit.SECONDS);
    }

    /** {@code Thread.isVirtual()}, which the Java 17 API this project compiles against lacks. */
    private static boolean isVirtual(Thread thread) throws Exception {
        if (Runtime.version().feature() < 21) {
            return false;
        }
        return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    }

}
