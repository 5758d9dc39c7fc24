package io.github.managedscopes;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rule A9 of {@code docs/async.md}: an exit stage completing with {@code null}
 * counts as {@code false}, a cancelled stage has failed with its
 * {@link CancellationException}, an entry that unwinds its own stack fails with
 * {@link IllegalStateException}, and the stack is reusable from a continuation of its unwind.
 */
class AsyncExitStackEdgeCaseTest {

    private final EventLog log = new EventLog();

    @RegisterExtension
    final Stages stages = new Stages();

    @Test
    void countsAnExitStageCompletingWithNullAsNotSwallowing() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.pushAsync((failure) -> {
            this.log.add("outer saw " + EventLog.describe(failure));
            return CompletableFuture.completedFuture(false);
        });
        stack.pushAsync((failure) -> this.stages.later(null));
        stack.pushAsync((failure) -> CompletableFuture.completedFuture(null));

        Stages.Outcome outcome = Stages.outcome(stack.exitAsync(new IllegalStateException("body")));

        assertThat(outcome.value()).isEqualTo(false);
        assertThat(this.log.events()).containsExactly("outer saw body");
    }

    @Test
    void failsACancelledStageWithItsCancellationException() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        CompletableFuture<Void> cancelledAtOnce = new CompletableFuture<>();
        cancelledAtOnce.cancel(false);
        CompletableFuture<Void> cancelledLater = new CompletableFuture<>();
        stack.registerAsync(() -> cancelledAtOnce);
        stack.registerAsync(() -> {
            this.stages.onCompleter(() -> cancelledLater.cancel(false));
            return cancelledLater;
        });

        CompletableFuture<Void> closed = stack.closeAsync().toCompletableFuture();
        Throwable failure = Stages.outcome(closed).failure();

        assertThat(failure).isInstanceOf(CancellationException.class);
        assertThat(failure).isSameAs(causeOf(cancelledLater));
        assertThat(failure.getSuppressed()).containsExactly(causeOf(cancelledAtOnce));
        // The stage the unwind returned is cancelled in turn: no ExecutionException, no CompletionException.
        assertThat(closed.isCancelled()).isTrue();
        assertThatThrownBy(closed::join).isInstanceOf(CancellationException.class);
        assertThatThrownBy(closed::get).isInstanceOf(CancellationException.class);
    }

    @Test
    void failsAnEntryThatClosesItsOwnStackWithIllegalStateException() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        AtomicReference<CompletionStage<?>> closedFromEntry = new AtomicReference<>();
        stack.callbackAsync(() -> {
            closedFromEntry.set(stack.closeAsync());
            return closedFromEntry.get();
        });

        Throwable failure = Stages.outcome(stack.closeAsync()).failure();

        assertThat(failure).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closeAsync() or exitAsync()")
            .hasMessageContaining("an entry must not unwind the stack it belongs to");
        assertThat(Stages.outcome(closedFromEntry.get()).failure()).isSameAs(failure);
    }

    @Test
    void refusesPopAllFromAnEntryAndLeavesTheRemainingEntriesToTheUnwind() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.callback(() -> this.log.add("first closed"));
        stack.callback(() -> this.log.add("second closed"));
        stack.callback(() -> stack.popAll());

        Throwable failure = Stages.outcome(stack.closeAsync()).failure();

        assertThat(failure).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("popAll() was called while the stack unwinds");
        assertThat(this.log.events()).containsExactly("second closed", "first closed");
        assertThat(stack.size()).isZero();
    }

    @Test
    void attachesTheFailureInFlightToTheRefusalOfAnExitAsyncFromAnEntry() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IllegalStateException body = new IllegalStateException("body");
        stack.pushAsync((failure) -> stack.exitAsync(failure));

        Stages.Outcome outcome = Stages.outcome(stack.exitAsync(body));

        assertThat(outcome.value()).isEqualTo(false);
        assertThat(body.getSuppressed()).singleElement()
            .isInstanceOf(IllegalStateException.class)
            .satisfies((refusal) -> assertThat(refusal.getSuppressed()).containsExactly(body));
    }

    @Test
    void isReusableFromAContinuationOfTheStageItsUnwindReturned() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.registerAsync(() -> this.stages.later(null).thenRun(() -> this.log.add("first unwind")));

        CompletionStage<Void> second = stack.closeAsync().thenCompose((ignored) -> {
            stack.callback(this.log.action("registered in the continuation"));
            return stack.closeAsync();
        });

        assertThat(Stages.outcome(second).failure()).isNull();
        assertThat(this.log.events()).containsExactly("first unwind", "run registered in the continuation");
        assertThat(stack.size()).isZero();
    }

    @Test
    void returnsTheStackItselfFromEnterAsync() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();

        assertThat(stack.enterAsync().toCompletableFuture().getNow(null)).isSameAs(stack);
    }

    private static Throwable causeOf(CompletableFuture<?> cancelled) {
        return cancelled.handle((value, failure) -> failure).join();
    }

}
