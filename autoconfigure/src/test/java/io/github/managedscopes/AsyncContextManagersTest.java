package io.github.managedscopes;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * {@link ContextManagers#ofAsync}, the {@code @asynccontextmanager} analogue of the README's
 * "async with" section: its exit runs with the entered value on every exit, sees nothing of
 * the failure and never swallows; it is entered once at a time.
 */
class AsyncContextManagersTest {

    private final EventLog log = new EventLog();

    @RegisterExtension
    final Stages stages = new Stages();

    @Test
    void runsTheExitWithTheEnteredValueOnACleanExitAndOnAFailure() throws Exception {
        for (Throwable failure : new Throwable[] { null, new IllegalStateException("body") }) {
            AsyncContextManager<String> manager = manager();
            AsyncExitStack stack = new AsyncExitStack();
            assertThat(Stages.outcome(stack.enterAsyncContext(manager)).value()).isEqualTo("connection");

            Stages.Outcome outcome = Stages.outcome(stack.exitAsync(failure));

            assertThat(outcome.value()).as("never swallows").isEqualTo(false);
        }
        assertThat(this.log.events()).containsExactly("released connection", "released connection");
    }

    @Test
    void neverSwallowsWhenExitedDirectly() throws Exception {
        AsyncContextManager<String> manager = manager();
        Stages.outcome(manager.enterAsync());

        assertThat(Stages.outcome(manager.exitAsync(new IllegalStateException("body"))).value()).isEqualTo(false);
    }

    @Test
    void failsTheExitStageWithWhatTheExitFailedWith() throws Exception {
        IOException failed = new IOException("failed");
        AsyncExitStack stack = new AsyncExitStack();
        stack.enterAsyncContext(ContextManagers.ofAsync(() -> CompletableFuture.completedFuture("connection"),
                (value) -> this.stages.failingLater(failed)));

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isSameAs(failed);
    }

    @Test
    void refusesToBeEnteredAgainBeforeItExitedAndAllowsItAfterwards() throws Exception {
        AsyncContextManager<String> manager = manager();
        Stages.outcome(manager.enterAsync());

        assertThatIllegalStateException().isThrownBy(manager::enterAsync).withMessageContaining("already entered");
        Stages.outcome(manager.exitAsync(null));
        assertThat(Stages.outcome(manager.enterAsync()).value()).isEqualTo("connection");
    }

    @Test
    void refusesToBeEnteredWhileEnteringIsStillUnderWay() {
        CompletableFuture<String> entering = new CompletableFuture<>();
        AsyncContextManager<String> manager = ContextManagers.ofAsync(() -> entering,
                (value) -> CompletableFuture.completedFuture(null));
        manager.enterAsync();

        assertThatIllegalStateException().isThrownBy(manager::enterAsync).withMessageContaining("already entered");
    }

    @Test
    void refusesAnExitWithoutAnEnter() {
        assertThatIllegalStateException().isThrownBy(() -> manager().exitAsync(null))
            .withMessageContaining("was not entered");
    }

    @Test
    void staysEnterableWhenEnteringFailedAndRunsNoExit() throws Exception {
        IOException refused = new IOException("refused");
        boolean[] fail = { true };
        AsyncContextManager<String> manager = ContextManagers.ofAsync(
                () -> fail[0] ? this.stages.failingLater(refused) : this.stages.later("connection"), (value) -> {
                    this.log.add("released " + value);
                    return CompletableFuture.completedFuture(null);
                });
        AsyncExitStack stack = new AsyncExitStack();

        assertThat(Stages.outcome(stack.enterAsyncContext(manager)).failure()).isSameAs(refused);
        fail[0] = false;
        assertThat(Stages.outcome(stack.enterAsyncContext(manager)).value()).isEqualTo("connection");
        Stages.outcome(stack.closeAsync());
        assertThat(this.log.events()).containsExactly("released connection");
    }

    @Test
    void failsEnteringWithANullPointerExceptionNamingOfAsyncWhenEnterReturnsNull() throws Exception {
        AsyncContextManager<String> manager = ContextManagers.ofAsync(() -> null,
                (value) -> CompletableFuture.completedFuture(null));

        assertThat(Stages.outcome(new AsyncExitStack().enterAsyncContext(manager)).failure())
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("ContextManagers.ofAsync");
    }

    @Test
    void rejectsNullArgumentsNamingThem() {
        assertThatNullPointerException()
            .isThrownBy(() -> ContextManagers.ofAsync(null, (value) -> CompletableFuture.completedFuture(null)))
            .withMessage("'enter' must not be null");
        assertThatNullPointerException()
            .isThrownBy(() -> ContextManagers.ofAsync(() -> CompletableFuture.completedFuture("value"), null))
            .withMessage("'exit' must not be null");
    }

    @Test
    void returnsAnAsyncContextManagerThatIsNoSyncOne() {
        Object manager = manager();

        assertThat(manager).isInstanceOf(AsyncContextManager.class)
            .isNotInstanceOf(ContextManager.class)
            .isNotInstanceOf(AutoCloseable.class);
    }

    private AsyncContextManager<String> manager() {
        return ContextManagers.ofAsync(() -> this.stages.later("connection"), (value) -> {
            CompletionStage<Void> released = this.stages.later(null);
            return released.thenRun(() -> this.log.add("released " + value));
        });
    }

}
