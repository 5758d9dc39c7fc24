package io.github.managedscopes;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The README's "async with" section: asynchronous entries are reported to the
 * {@link ExitStackListener} exactly as synchronous ones are (registered, closed with their
 * failure, suppressed with its reason), which the meters of {@code docs/observability.md}
 * rely on.
 */
class AsyncExitStackListenerTest {

    private final RecordingListener listener = new RecordingListener();

    @RegisterExtension
    final Stages stages = new Stages();

    @Test
    void reportsAnAsyncResourceLikeASyncOne() throws Exception {
        AsyncExitStack stack = new AsyncExitStack(this.listener);
        stack.registerAsync(() -> this.stages.later(null), "remote-pool");
        stack.register(() -> {
        }, "local");

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();

        assertThat(this.listener.calls()).containsExactly("registered remote-pool", "registered local",
                "closed local token:local", "closed remote-pool token:remote-pool");
    }

    @Test
    void reportsAnAsyncCloseFailureAndItsSuppressionDuringAFailure() throws Exception {
        AsyncExitStack stack = new AsyncExitStack(this.listener);
        IOException closeFailure = new IOException("close failure");
        stack.registerAsync(() -> this.stages.failingLater(closeFailure), "failing");
        IllegalStateException body = new IllegalStateException("body");

        assertThat(Stages.outcome(stack.exitAsync(body)).value()).isEqualTo(false);

        assertThat(this.listener.calls()).containsExactly("registered failing",
                "closed failing token:failing failed close failure",
                "suppressed failing close failure CLOSE_DURING_FAILURE");
        assertThat(this.listener.suppressed()).singleElement().isSameAs(closeFailure);
    }

    @Test
    void reportsAFailureSwallowedByAnAsyncExit() throws Exception {
        AsyncExitStack stack = new AsyncExitStack(this.listener);
        stack.pushAsync((failure) -> this.stages.later(true));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(Stages.outcome(stack.exitAsync(body)).value()).isEqualTo(true);

        assertThat(this.listener.suppressed()).singleElement().isSameAs(body);
        assertThat(this.listener.calls()).singleElement().asString().startsWith("suppressed ").endsWith("body SWALLOWED");
    }

    @Test
    void reportsEnteredAsyncManagersAndStacksAsResourcesAndCallbacksNot() throws Exception {
        AsyncExitStack stack = new AsyncExitStack(this.listener);
        stack.enterAsyncContext(new AsyncExitStack());
        stack.enterAsyncContext(ContextManagers.ofAsync(() -> CompletableFuture.completedFuture("value"),
                (value) -> CompletableFuture.completedFuture(null)));
        stack.callbackAsync(() -> CompletableFuture.completedFuture(null));
        stack.pushAsync((failure) -> CompletableFuture.completedFuture(false));

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();

        assertThat(this.listener.calls()).hasSize(4)
            .startsWith("registered AsyncExitStack")
            .contains("closed AsyncExitStack token:AsyncExitStack")
            .anySatisfy((call) -> assertThat(call).startsWith("registered contextmanager("))
            .anySatisfy((call) -> assertThat(call).startsWith("closed contextmanager("));
    }

    @Test
    void reportsARefusedAsyncResourceAsALateRegistrationAndStartsItsClose() throws Exception {
        AsyncExitStack stack = AsyncExitStack.forScope("the ended scope", this.listener, null);
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
        CompletableFuture<Void> closing = new CompletableFuture<>();
        IOException late = new IOException("failed later");

        Throwable refused = catchThrowable(() -> stack.registerAsync(() -> closing,
                "late-pool"));
        closing.completeExceptionally(late);

        assertThat(refused).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("'late-pool'")
            .hasMessageContaining("the ended scope");
        assertThat(this.listener.calls()).hasSize(2).startsWith("late late-pool");
        assertThat(this.listener.calls().get(1)).startsWith("suppressed AsyncExitStackListenerTest$$Lambda")
            .endsWith(" failed later CLOSE_DURING_FAILURE");
        assertThat(this.listener.suppressed()).containsExactly(late);
    }

}
