package io.github.managedscopes;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Rules A6 and A9 of {@code docs/async.md}: a stack made with a close time-out
 * fails an asynchronous close or exit whose stage has not completed in time with a
 * {@link TimeoutException} naming it and the time-out, and goes on at once; what that stage
 * fails with later is reported to the listener, never thrown. The time-out is positive, does
 * not bound {@code enterAsync}, and survives {@code popAll}.
 */
class AsyncExitStackTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private final EventLog log = new EventLog();

    @RegisterExtension
    final Stages stages = new Stages();

    @Test
    void timesOutAHungExitNamingItAndGoesOnWithTheNextEntryAtOnce() throws Exception {
        AsyncExitStack stack = AsyncExitStack.withCloseTimeout(TIMEOUT);
        stack.callback(this.log.action("outer"));
        CompletableFuture<Boolean> hung = new CompletableFuture<>();
        stack.pushAsync(new HungExit(hung));
        IllegalStateException body = new IllegalStateException("body");

        Stages.Outcome outcome = Stages.outcome(stack.exitAsync(body));

        assertThat(outcome.value()).isEqualTo(false);
        assertThat(hung).isNotDone();
        assertThat(this.log.events()).containsExactly("run outer");
        assertThat(body.getSuppressed()).singleElement()
            .isInstanceOf(TimeoutException.class)
            .satisfies((timeout) -> assertThat(timeout.getMessage()).contains("HungExit", "onExitAsync()", "PT0.1S"));
    }

    @Test
    void reportsAFailureTheHungStageCompletesWithLaterToTheListenerAndNeverThrowsIt() throws Exception {
        RecordingListener listener = new RecordingListener();
        Throwable timeout = timeOutAndFailLater(AsyncExitStack.forScope("the test scope", listener, TIMEOUT), listener);

        assertThat(listener.calls()).containsExactly("registered hung", "closed hung token:hung failed "
                + timeout.getMessage(), "suppressed hung late CLOSE_DURING_FAILURE");
    }

    @Test
    void namesAHungCloseByTheNameItWasRegisteredUnderWithoutAListener() throws Exception {
        AsyncExitStack stack = AsyncExitStack.withCloseTimeout(TIMEOUT);
        stack.registerAsync(() -> new CompletableFuture<Void>(), "remote-pool");

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isInstanceOf(TimeoutException.class)
            .hasMessageStartingWith("'remote-pool' did not complete its closeAsync() within PT0.1S");
    }

    @Test
    void reportsToTheListenerItWasMadeWithTheFailureAHungCloseCompletesWithLater() throws Exception {
        RecordingListener listener = new RecordingListener();
        AsyncExitStack stack = AsyncExitStack.withCloseTimeout(TIMEOUT, listener);

        timeOutAndFailLater(stack, listener);

        assertThat(Stages.outcome(stack.closeAsync()).failure()).as("reusable, unlike a scope's stack").isNull();
    }

    @Test
    void letsAStageThatCompletesInTimeDecideAndCancelsItsTimer() throws Exception {
        RecordingListener listener = new RecordingListener();
        AsyncExitStack stack = AsyncExitStack.forScope("the test scope", listener, Duration.ofSeconds(30));
        IOException failed = new IOException("failed");
        stack.registerAsync(() -> this.stages.failingLater(failed), "quick");

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isSameAs(failed);
        assertThat(listener.calls()).containsExactly("registered quick", "closed quick token:quick failed failed");
    }

    @Test
    void doesNotBoundEnterAsync() throws Exception {
        AsyncExitStack stack = AsyncExitStack.withCloseTimeout(Duration.ofMillis(10));
        CompletableFuture<String> entering = new CompletableFuture<>();

        CompletableFuture<String> entered = stack.enterAsyncContext(
                ContextManagers.ofAsync(() -> entering, (value) -> CompletableFuture.completedFuture(null)))
            .toCompletableFuture();
        await().pollDelay(TIMEOUT).until(() -> true);
        entering.complete("slow but entered");

        assertThat(Stages.outcome(entered).value()).isEqualTo("slow but entered");
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
    }

    @Test
    void keepsTheTimeOutOnTheStackThatPopAllReturns() throws Exception {
        AsyncExitStack stack = AsyncExitStack.withCloseTimeout(TIMEOUT);
        stack.registerAsync(() -> new CompletableFuture<Void>());

        AsyncExitStack moved = stack.popAll();

        assertThat(stack.size()).isZero();
        assertThat(Stages.outcome(moved.closeAsync()).failure()).isInstanceOf(TimeoutException.class)
            .hasMessageContaining("closeAsync()");
    }

    @Test
    void refusesATimeOutThatIsNotPositiveNamingTheArgument() {
        for (Duration timeout : new Duration[] { Duration.ZERO, Duration.ofMillis(-1) }) {
            assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AsyncExitStack.withCloseTimeout(timeout))
                .withMessageContaining("'timeout' must be positive");
            assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> AsyncExitStack.forScope("scope", ExitStackListener.NONE, timeout))
                .withMessageContaining("'timeout' must be positive");
        }
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> AsyncExitStack.withCloseTimeout(null))
            .withMessage("'timeout' must not be null");
        assertThatExceptionOfType(NullPointerException.class)
            .isThrownBy(() -> AsyncExitStack.withCloseTimeout(TIMEOUT, null))
            .withMessage("'listener' must not be null");
    }

    /**
     * Closes {@code stack} with one entry, "hung", whose close times out and then fails: the
     * failure must reach {@code listener} only.
     * @return the failure the close completed with
     */
    private static Throwable timeOutAndFailLater(AsyncExitStack stack, RecordingListener listener) throws Exception {
        CompletableFuture<Void> hung = new CompletableFuture<>();
        stack.registerAsync(() -> hung, "hung");

        Throwable timeout = Stages.outcome(stack.closeAsync()).failure();
        IOException late = new IOException("late");
        hung.completeExceptionally(late);

        assertThat(timeout).isInstanceOf(TimeoutException.class).hasMessageContaining("'hung'");
        assertThat(listener.suppressed()).containsExactly(late);
        return timeout;
    }

    /** An exit callback whose stage completes when the test says so. */
    private record HungExit(CompletableFuture<Boolean> stage) implements AsyncExitCallback {

        @Override
        public CompletionStage<Boolean> onExitAsync(@Nullable Throwable failure) {
            return this.stage;
        }

    }

}
