package io.github.managedscopes.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.managedscopes.ContextManagers;
import io.github.managedscopes.ExitStack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Programmatic scopes: {@link ManagedScopes#run}, {@link ManagedScopes#call},
 * {@link ManagedScopes#current()} and leases, on plain threads.
 */
class ManagedScopesTests {

    private final Journal journal = new Journal();

    @Test
    void currentOutsideAnyScopeSaysHowToOpenOne() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                ManagedScopes.current();
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
        }, "report-job-1");
        thread.start();
        thread.join(10_000);
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("thread 'report-job-1'")
            .hasMessageContaining("ManagedScopes.run(...)")
            .hasMessageContaining("@ManagedScope");
    }

    @Test
    void runClosesWhatWasRegisteredInItWhenItEndsOnAPlainThread() throws Exception {
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                ManagedScopes.run(() -> {
                    ManagedScopes.current().register(new Probe("a", this.journal));
                    ManagedScopes.current().register(new Probe("b", this.journal));
                    this.journal.add("body ended");
                });
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, (task) -> new Thread(task, "plain-thread").start());
        done.get(10, TimeUnit.SECONDS);
        assertThat(this.journal.events()).containsExactly("body ended", "close b", "close a");
    }

    @Test
    void runUnwindsWithTheBodysFailureInFlightAndRethrowsIt() {
        IllegalStateException failure = new IllegalStateException("body failed");
        assertThatThrownBy(() -> ManagedScopes.run(() -> {
            ManagedScopes.current().push((inFlight) -> {
                this.journal.exitSaw(inFlight);
                return false;
            });
            throw failure;
        })).isSameAs(failure);
        assertThat(this.journal.exitFailures()).containsExactly(failure);
    }

    @Test
    void callReturnsTheValueOrNullWhenAnExitSwallowedTheFailure() throws Exception {
        assertThat(ManagedScopes.call(() -> "value")).isEqualTo("value");
        String swallowed = ManagedScopes.call(() -> {
            ManagedScopes.current().enterContext(ContextManagers.suppress(IllegalArgumentException.class));
            throw new IllegalArgumentException("swallowed");
        });
        assertThat(swallowed).isNull();
    }

    @Test
    void scopesNestAndTheInnermostIsCurrent() throws Exception {
        ManagedScopes.run(() -> {
            ExitStack outer = ManagedScopes.current();
            outer.register(new Probe("outer", this.journal));
            ManagedScopes.run(() -> {
                assertThat(ManagedScopes.current()).isNotSameAs(outer);
                ManagedScopes.current().register(new Probe("inner", this.journal));
            });
            this.journal.add("inner scope ended");
            assertThat(ManagedScopes.current()).isSameAs(outer);
        });
        assertThat(this.journal.events()).containsExactly("close inner", "inner scope ended", "close outer");
    }

    @Test
    void aLeaseKeepsTheScopeOpenUntilItIsClosedOnAnotherThreadAndTheScopeUnwindsOnce() throws Exception {
        Probe probe = new Probe("a", this.journal);
        AtomicReference<Lease> lease = new AtomicReference<>();
        ManagedScopes.run(() -> {
            ManagedScopes.current().register(probe);
            lease.set(ManagedScopes.lease());
        });
        this.journal.add("owner finished");
        assertThat(probe.closes()).isZero();
        Thread closer = new Thread(() -> {
            probe.use();
            lease.get().close();
            lease.get().close();
        });
        closer.start();
        closer.join(10_000);
        assertThat(this.journal.events()).containsExactly("owner finished", "use a", "close a");
        assertThat(probe.closes()).isEqualTo(1);
        assertThat(lease.get().scope().hasEnded()).isTrue();
    }

    @Test
    void aLeaseCannotBeTakenOnAScopeThatEnded() throws Exception {
        AtomicReference<ActiveScope> scope = new AtomicReference<>();
        ManagedScopes.run(() -> scope.set(ManagedScopes.currentScope()));
        assertThatIllegalStateException().isThrownBy(() -> scope.get().lease())
            .withMessageContaining("ManagedScopes.run(...) scope")
            .withMessageContaining("already ended");
    }

    @Test
    void registeringOnAScopeThatEndedIsRefusedAndClosesTheResource() throws Exception {
        AtomicReference<ExitStack> stack = new AtomicReference<>();
        ManagedScopes.run(() -> stack.set(ManagedScopes.current()));
        Probe late = new Probe("late", this.journal);
        assertThatIllegalStateException().isThrownBy(() -> stack.get().register(late))
            .withMessageContaining("ManagedScopes.run(...) scope");
        assertThat(late.closes()).isEqualTo(1);
    }

    @Test
    void nullActionsAreRejectedNamingTheArgument() {
        assertThatNullPointerException().isThrownBy(() -> ManagedScopes.run(null)).withMessageContaining("'action'");
        assertThatNullPointerException().isThrownBy(() -> ManagedScopes.call(null))
            .withMessageContaining("'action'");
    }

    @Test
    void anInstanceDestroyedGivesTheStaticMethodsBackToTheOneItReplacedUnlessThatOneWasDestroyed() throws Exception {
        List<String> application = new CopyOnWriteArrayList<>();
        List<String> test = new CopyOnWriteArrayList<>();
        ManagedScopes applications = new ManagedScopes(recordingTo(application), null);
        ManagedScopes tests = new ManagedScopes(recordingTo(test), null);
        ManagedScopes.run(() -> {
        });
        tests.destroy();
        ManagedScopes.run(() -> {
        });
        assertThat(test).hasSize(1);
        assertThat(application).hasSize(1);
        ManagedScopes again = new ManagedScopes(recordingTo(test), null);
        applications.destroy();
        again.destroy();
        ManagedScopes.run(() -> {
        });
        assertThat(application).hasSize(1);
        assertThat(test).hasSize(1);
    }

    private static ScopeListener recordingTo(List<String> kinds) {
        return (kind) -> {
            kinds.add(kind);
            return OpenScopeListener.NONE;
        };
    }

}
