package io.github.managedscopes.spring;

import java.io.IOException;

import io.github.managedscopes.autoconfigure.ManagedScopesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static io.github.managedscopes.spring.StartUpFailures.assertStartUpFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ManagedResource} on the methods of real beans: registration on the innermost
 * scope, names, suppression, close methods, and misuse found at start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagedResourceTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
        .withUserConfiguration(ResourcesConfiguration.class);

    @Test
    void registersWhatTheMethodReturnsOnTheInnermostScope() {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            Journal journal = context.getBean(Journal.class);
            ManagedScopes.run(() -> {
                connections.open("a").use();
                connections.open("b").use();
                journal.add("body ended");
            });
            assertThat(journal.events()).containsExactly("use a", "use b", "body ended", "close b", "close a");
        });
    }

    @Test
    void reportsResourcesUnderClassAndMethodOrTheirGivenName() {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            ManagedScopes.run(() -> {
                connections.open("a");
                connections.ledger();
            });
            assertThat(context.getBean(RecordingListener.class).registered).containsExactly("Connections.open",
                    "ledger");
        });
    }

    @Test
    void swallowsCloseFailuresOfTheTypesItSuppressesLoggingAndCountingThem(CapturedOutput output) {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            ManagedScopes.run(connections::flaky);
            assertThat(context.getBean(RecordingListener.class).suppressed)
                .containsExactly("Connections.flaky IOException swallowed");
            assertThat(output).contains("Swallowed a close failure of 'Connections.flaky'")
                .contains("java.io.IOException: flaky close")
                .contains("at io.github.managedscopes");
        });
    }

    @Test
    void propagatesCloseFailuresOfOtherTypes() {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            assertThatIllegalStateException().isThrownBy(() -> ManagedScopes.run(connections::broken))
                .withMessage("broken close");
        });
    }

    @Test
    void closesThroughTheNamedCloseMethod() {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            ManagedScopes.run(connections::handle);
            assertThat(context.getBean(Journal.class).events()).containsExactly("release handle");
        });
    }

    @Test
    void passesANullReturnThroughUntouched() {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            ManagedScopes.run(() -> {
                assertThat(connections.nothing()).isNull();
                assertThat(ManagedScopes.current().size()).isZero();
            });
        });
    }

    @Test
    void closesTheResourceAtOnceAndFailsNamingTheMethodOutsideAnyScope() {
        this.runner.run((context) -> {
            Connections connections = context.getBean(Connections.class);
            assertThatIllegalStateException().isThrownBy(() -> connections.open("outside"))
                .withMessageContaining("'Connections.open'")
                .withMessageContaining("outside any managed scope on thread '" + Thread.currentThread().getName())
                .withMessageContaining("ManagedScopes.run(...)")
                .withMessageContaining("In a reactive pipeline")
                .withMessageContaining("declare the method to return Mono<R>");
            assertThat(context.getBean(Journal.class).events()).containsExactly("close outside");
        });
    }

    @Test
    void failsAtStartUpOnAVoidMethodNamingIt() {
        assertStartUpFailure(VoidResource.class, "ManagedResourceTests$VoidResource.open'", "returns void");
    }

    @Test
    void failsAtStartUpOnANonCloseableReturnWithoutCloseMethodNamingIt() {
        assertStartUpFailure(NotCloseable.class, "ManagedResourceTests$NotCloseable.open'",
                "java.lang.StringBuilder, which is not AutoCloseable");
    }

    @Test
    void failsAtStartUpOnAnUnknownCloseMethodNamingIt() {
        assertStartUpFailure(UnknownCloseMethod.class, "ManagedResourceTests$UnknownCloseMethod.open'",
                "closeMethod \"shutdown\"");
    }

    @Test
    void failsAtStartUpOnCloseAtTransactionEndWithoutSpringTxNamingTheMethod() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader(TransactionSynchronizationManager.class))
            .withBean(TransactionEnd.class)
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ManagedResourceTests$TransactionEnd.open'")
                .hasMessageContaining("closeAt = TRANSACTION_END, but spring-tx is not on the classpath")
                .hasMessageContaining("CloseAt.SCOPE_END"));
    }

    @Test
    void acceptsCloseAtTransactionEndWithSpringTx() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
            .withBean(TransactionEnd.class)
            .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TransactionEnd.class));
    }

    @Test
    void failsAtStartUpOnAFluxNamingTheMethod() {
        assertStartUpFailure(FluxResource.class, "ManagedResourceTests$FluxResource.open'",
                "returns a Flux, which may emit any number of resources");
    }

    @Test
    void failsAtStartUpOnAStageOfSomethingNotCloseableNamingTheMethodAndTheType() {
        assertStartUpFailure(StageOfString.class, "ManagedResourceTests$StageOfString.open'",
                "returns CompletionStage of java.lang.String, which is not AutoCloseable");
    }

    @Test
    void failsAtStartUpOnAMonoClosedAtTransactionEndNamingTheMethod() {
        assertStartUpFailure(MonoAtTransactionEnd.class, "ManagedResourceTests$MonoAtTransactionEnd.open'",
                "a transaction is bound to the calling thread");
    }

    @Test
    void failsAtStartUpOnAFutureTypeTheResultCannotBeReturnedAs() {
        assertStartUpFailure(OwnFuture.class, "ManagedResourceTests$OwnFuture.open'",
                "Declare CompletionStage or CompletableFuture");
    }

    @Test
    void failsAtStartUpEvenWhenAnotherMethodOfTheBeanIsValid() {
        assertStartUpFailure(OneGoodOneBad.class, "ManagedResourceTests$OneGoodOneBad.bad'", "returns void");
    }

    @Test
    void failsAtStartUpOnAPrivateMethodThatNoProxyCanInterceptNamingIt() {
        assertStartUpFailure(PrivateResource.class, "ManagedResourceTests$PrivateResource.open'",
                "is private, so no proxy can intercept its calls");
    }

    @Test
    void failsAtStartUpOnAStaticMethodThatNoProxyCanInterceptNamingIt() {
        assertStartUpFailure(StaticResource.class, "ManagedResourceTests$StaticResource.open'",
                "is static, so no proxy can intercept its calls");
    }

    @Test
    void failsAtStartUpOnAFinalMethodThatNoProxyCanInterceptNamingIt() {
        assertStartUpFailure(FinalResource.class, "ManagedResourceTests$FinalResource.open'",
                "is final, so no proxy can intercept its calls");
    }

    @Test
    void acceptsAFinalMethodThatAnInterfaceProxyCanIntercept() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ManagedScopesAutoConfiguration.class))
            .withBean(FinalInterfaceResource.class)
            .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Opener.class));
    }

    @Configuration(proxyBeanMethods = false)
    @Import(RecordingConfiguration.class)
    static class ResourcesConfiguration {

        @Bean
        Connections connections(Journal journal) {
            return new Connections(journal);
        }

    }

    static class Connections {

        private final Journal journal;

        Connections(Journal journal) {
            this.journal = journal;
        }

        @ManagedResource
        public Probe open(String name) {
            return new Probe(name, this.journal);
        }

        @ManagedResource(name = "ledger")
        public Probe ledger() {
            return new Probe("ledger", this.journal);
        }

        @ManagedResource(suppress = IOException.class)
        public AutoCloseable flaky() {
            return () -> {
                throw new IOException("flaky close");
            };
        }

        @ManagedResource(suppress = IOException.class)
        public AutoCloseable broken() {
            return () -> {
                throw new IllegalStateException("broken close");
            };
        }

        @ManagedResource(closeMethod = "release")
        public Handle handle() {
            return new Handle(this.journal);
        }

        @ManagedResource
        public Probe nothing() {
            return null;
        }

    }

    static class Handle {

        private final Journal journal;

        Handle(Journal journal) {
            this.journal = journal;
        }

        public void release() {
            this.journal.add("release handle");
        }

    }

    static class VoidResource {

        @ManagedResource
        public void open() {
        }

    }

    static class FluxResource {

        @ManagedResource
        public reactor.core.publisher.Flux<Probe> open() {
            return reactor.core.publisher.Flux.empty();
        }

    }

    static class StageOfString {

        @ManagedResource
        public java.util.concurrent.CompletionStage<String> open() {
            return java.util.concurrent.CompletableFuture.completedFuture("text");
        }

    }

    static class MonoAtTransactionEnd {

        @ManagedResource(closeAt = CloseAt.TRANSACTION_END)
        public reactor.core.publisher.Mono<Probe> open() {
            return reactor.core.publisher.Mono.empty();
        }

    }

    static class OwnFuture {

        @ManagedResource
        public MyFuture open() {
            return new MyFuture();
        }

    }

    static class MyFuture extends java.util.concurrent.CompletableFuture<Probe> {

    }

    static class NotCloseable {

        @ManagedResource
        public StringBuilder open() {
            return new StringBuilder();
        }

    }

    static class UnknownCloseMethod {

        @ManagedResource(closeMethod = "shutdown")
        public StringBuilder open() {
            return new StringBuilder();
        }

    }

    static class TransactionEnd {

        @ManagedResource(closeAt = CloseAt.TRANSACTION_END)
        public AutoCloseable open() {
            return () -> {
            };
        }

    }

    static class PrivateResource {

        public AutoCloseable openTwice() {
            return open();
        }

        @ManagedResource
        private AutoCloseable open() {
            return () -> {
            };
        }

    }

    static class StaticResource {

        @ManagedResource
        public static AutoCloseable open() {
            return () -> {
            };
        }

    }

    static class FinalResource {

        @ManagedResource
        public final AutoCloseable open() {
            return () -> {
            };
        }

    }

    interface Opener {

        AutoCloseable open();

    }

    static class FinalInterfaceResource implements Opener {

        @Override
        @ManagedResource
        public final AutoCloseable open() {
            return () -> {
            };
        }

    }

    static class OneGoodOneBad {

        @ManagedResource
        public AutoCloseable good() {
            return () -> {
            };
        }

        @ManagedResource
        public void bad() {
        }

    }

}
