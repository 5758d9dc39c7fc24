package io.github.managedscopes.spring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.managedscopes.ContextManagers;
import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static io.github.managedscopes.spring.StartUpFailures.assertStartUpFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link ManagedScope} on methods and classes of real beans, scheduled ones included.
 */
class ManagedScopeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
        .withUserConfiguration(JobsConfiguration.class);

    @Test
    void aScheduledMethodClosesWhatItOpenedWhenItEnds() {
        this.runner.withUserConfiguration(ScheduledJobConfiguration.class).run((context) -> {
            Journal journal = context.getBean(Journal.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> journal.events().contains("close report"));
            assertThat(journal.events()).startsWith("report ran", "close report");
        });
    }

    @Test
    void everyMethodOfAnAnnotatedClassRunsInItsOwnScope() {
        this.runner.run((context) -> {
            Importer importer = context.getBean(Importer.class);
            Journal journal = context.getBean(Journal.class);
            journal.clear();
            importer.importAll();
            journal.add("returned");
            assertThat(journal.events()).containsExactly("imported", "close import", "returned");
        });
    }

    @Test
    void theMethodsFailureIsInFlightAndPropagates() {
        this.runner.run((context) -> {
            Importer importer = context.getBean(Importer.class);
            Journal journal = context.getBean(Journal.class);
            journal.clear();
            assertThatIllegalArgumentException().isThrownBy(importer::importBroken).withMessage("bad input");
            assertThat(journal.events()).containsExactly("close import", "exit saw IllegalArgumentException");
        });
    }

    @Test
    void aSwallowedFailureMakesTheMethodReturnNullOrRethrowsWhenItReturnsAPrimitive() {
        this.runner.run((context) -> {
            Importer importer = context.getBean(Importer.class);
            assertThat(importer.importQuietly()).isNull();
            assertThatIllegalArgumentException().isThrownBy(importer::countQuietly).withMessage("swallowed");
        });
    }

    @Test
    void failsAtStartUpOnAPrivateMethodThatNoProxyCanInterceptNamingIt() {
        assertStartUpFailure(PrivateJob.class, "ManagedScopeTests$PrivateJob.run'",
                "is private, so no proxy can intercept its calls: it would never run in a scope of its own");
    }

    @Test
    void failsAtStartUpOnAStaticMethodNamingIt() {
        assertStartUpFailure(StaticJob.class, "ManagedScopeTests$StaticJob.run'", "is static");
    }

    @Test
    void failsAtStartUpOnAFinalMethodNamingIt() {
        assertStartUpFailure(FinalJob.class, "ManagedScopeTests$FinalJob.run'", "is final");
    }

    @Test
    void failsAtStartUpOnAFutureTypeTheResultCannotBeReturnedAsNamingTheMethod() {
        assertStartUpFailure(OwnFutureJob.class, "ManagedScopeTests$OwnFutureJob.run'",
                "Declare CompletionStage or CompletableFuture");
    }

    @Test
    void failsAtStartUpOnAPublicMethodOfAnAnnotatedClassThatReturnsSuchAFutureNamingIt() {
        assertStartUpFailure(OwnFutureClass.class, "ManagedScopeTests$OwnFutureClass.run'",
                "Declare CompletionStage or CompletableFuture");
    }

    @Test
    void failsAtStartUpOnAFutureItsScopeCannotAwaitNamingTheMethodAndTheTypeToDeclare() {
        assertStartUpFailure(PlainFutureJob.class, "ManagedScopeTests$PlainFutureJob.run'",
                "returns java.util.concurrent.Future, a Future whose completion cannot be awaited");
    }

    static class PlainFutureJob {

        @ManagedScope
        public Future<String> run() {
            return CompletableFuture.completedFuture("done");
        }

    }

    static class PrivateJob {

        public void runAll() {
            run();
        }

        @ManagedScope
        private void run() {
        }

    }

    static class StaticJob {

        @ManagedScope
        public static void run() {
        }

    }

    static class FinalJob {

        @ManagedScope
        public final void run() {
        }

    }

    /** A {@code CompletionStage} that a result completed after its scope cannot be returned as. */
    static class OwnStage extends CompletableFuture<String> {

    }

    static class OwnFutureJob {

        @ManagedScope
        public OwnStage run() {
            return new OwnStage();
        }

    }

    @ManagedScope
    static class OwnFutureClass {

        public OwnStage run() {
            return new OwnStage();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class ScheduledJobConfiguration {

        @Bean
        ReportJob reportJob(Opener opener, Journal journal) {
            return new ReportJob(opener, journal);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class JobsConfiguration {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Opener opener(Journal journal) {
            return new Opener(journal);
        }

        @Bean
        Importer importer(Opener opener, Journal journal) {
            return new Importer(opener, journal);
        }

    }

    static class Opener {

        private final Journal journal;

        Opener(Journal journal) {
            this.journal = journal;
        }

        @ManagedResource
        public Probe open(String name) {
            return new Probe(name, this.journal);
        }

    }

    static class ReportJob {

        private final Opener opener;

        private final Journal journal;

        private final AtomicInteger runs = new AtomicInteger();

        ReportJob(Opener opener, Journal journal) {
            this.opener = opener;
            this.journal = journal;
        }

        @Scheduled(fixedDelay = 50)
        @ManagedScope
        public void report() {
            if (this.runs.incrementAndGet() == 1) {
                this.opener.open("report");
                this.journal.add("report ran");
            }
        }

    }

    @ManagedScope
    static class Importer {

        private final Opener opener;

        private final Journal journal;

        Importer(Opener opener, Journal journal) {
            this.opener = opener;
            this.journal = journal;
        }

        public void importAll() {
            this.opener.open("import");
            this.journal.add("imported");
        }

        public void importBroken() {
            ManagedScopes.current().push((failure) -> {
                this.journal.exitSaw(failure);
                return false;
            });
            this.opener.open("import");
            throw new IllegalArgumentException("bad input");
        }

        public String importQuietly() throws Exception {
            ManagedScopes.current().enterContext(ContextManagers.suppress(IllegalArgumentException.class));
            throw new IllegalArgumentException("swallowed");
        }

        public int countQuietly() throws Exception {
            ManagedScopes.current().enterContext(ContextManagers.suppress(IllegalArgumentException.class));
            throw new IllegalArgumentException("swallowed");
        }

    }

}
