package io.github.managedscopes.reliability;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * A test of the reliability suite: tagged {@code reliability}, against
 * {@link ReliabilityApplication} on a real Tomcat at a random port, with one set of
 * properties so that every test of the suite shares one application context. Tomcat gets
 * enough threads and a deep enough accept queue for 64 clients plus the streams they
 * abandon, and the asynchronous executor a thread per client, so that no stream waits in its
 * queue longer than its client waits for bytes (with 8 threads a stream could wait 20 s behind
 * others on a slow machine, and its client time out); the log is quiet ({@link QuietLogs}), since the suite throws tens of thousands of
 * exceptions on purpose and accounts for each of them itself. Request scopes live at most
 * 25 seconds ({@code managed-scopes.request.max-lifetime}), so that a stuck client's scope
 * ends within a test. The server shuts down at once: the hang-ups that make Tomcat drop a
 * request's {@code AsyncContext} leave its count of asynchronous requests in progress up for
 * good, and a graceful shutdown would wait its whole time-out for them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("reliability")
@ExtendWith({ QuietLogs.class, LedgerLogs.class })
@SpringBootTest(classes = ReliabilityApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.tomcat.threads.max=96", "server.tomcat.threads.min-spare=16",
                "server.tomcat.accept-count=256", "server.tomcat.max-keep-alive-requests=-1",
                "spring.task.execution.propagate-context=true", "spring.task.execution.pool.core-size=64",
                "managed-scopes.log.suppressed-level=off", "managed-scopes.request.max-lifetime=25s",
                "server.shutdown=immediate" })
@interface ReliabilityTest {

}
