package io.github.managedscopes;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule A2 of {@code docs/async.md}: an asynchronous entry has failed with what
 * its stage failed with, unwrapped, or with what it threw instead of returning a stage, or
 * with a {@link NullPointerException} naming it when it returned {@code null}; rules 3 and 6
 * (suppression, {@link VirtualMachineError}, {@link InterruptedException}) apply unchanged.
 */
class AsyncExitStackFailureTest {

    private final EventLog log = new EventLog();

    @RegisterExtension
    final Stages stages = new Stages();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    @Test
    void unwrapsCompletionAndExecutionExceptionsFromStagesCompletedAtOnceAndLater() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IOException outer = new IOException("outer");
        IOException middle = new IOException("middle");
        IOException laterWrapped = new IOException("later");
        IOException inner = new IOException("inner");
        stack.registerAsync(() -> CompletableFuture.failedFuture(new CompletionException(outer)));
        stack.registerAsync(() -> CompletableFuture.failedFuture(new ExecutionException(middle)));
        stack.registerAsync(() -> this.stages.later(null).thenRun(() -> {
            throw new CompletionException(laterWrapped);
        }));
        stack.registerAsync(() -> this.stages.failingLater(new CompletionException(new ExecutionException(inner))));

        Throwable failure = Stages.outcome(stack.closeAsync()).failure();

        assertThat(failure).isSameAs(inner);
        assertThat(inner.getSuppressed()).containsExactly(laterWrapped, middle, outer);
    }

    @Test
    void countsAnEntryThatThrowsInsteadOfReturningAStageAsFailedAndGoesOn() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IllegalStateException thrown = new IllegalStateException("thrown");
        IOException checked = new IOException("checked");
        stack.register(this.log.resource("outer"));
        stack.callbackAsync(() -> {
            throw checked;
        });
        stack.registerAsync(() -> {
            throw thrown;
        });

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isSameAs(thrown);

        assertThat(thrown.getSuppressed()).containsExactly(checked);
        assertThat(this.log.events()).containsExactly("close outer");
    }

    @Test
    void countsAnEntryReturningNullAsFailedWithANullPointerExceptionNamingIt() throws Exception {
        for (AsyncExitStack stack : stacksWithOneNullReturningEntryOfEachKind()) {
            Throwable failure = Stages.outcome(stack.closeAsync()).failure();

            assertThat(failure).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("NullReturning")
                .hasMessageContaining("returned null instead of a CompletionStage");
        }
    }

    private static AsyncExitStack[] stacksWithOneNullReturningEntryOfEachKind() {
        NullReturning entry = new NullReturning();
        AsyncExitStack close = new AsyncExitStack();
        close.registerAsync(entry);
        AsyncExitStack exit = new AsyncExitStack();
        exit.pushAsync(entry);
        AsyncExitStack cleanup = new AsyncExitStack();
        cleanup.callbackAsync(entry);
        AsyncExitStack context = new AsyncExitStack();
        context.enterAsyncContext(entry);
        return new AsyncExitStack[] { close, exit, cleanup, context };
    }

    @Test
    void neverSwallowsAVirtualMachineErrorWhateverAnExitCompletesWith() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.pushAsync((failure) -> {
            this.log.add("outer saw " + EventLog.describe(failure));
            return CompletableFuture.completedFuture(false);
        });
        stack.pushAsync((failure) -> this.stages.later(true));
        OutOfMemoryError oom = new OutOfMemoryError("fatal");

        assertThat(Stages.outcome(stack.exitAsync(oom)).value()).isEqualTo(false);

        assertThat(this.log.events()).containsExactly("outer saw fatal");
    }

    @Test
    void makesAVirtualMachineErrorFromAStagePrimaryWithTheFailureInFlightSuppressed() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IOException outer = new IOException("outer");
        OutOfMemoryError oom = new OutOfMemoryError("fatal");
        stack.registerAsync(() -> CompletableFuture.failedFuture(outer));
        stack.registerAsync(() -> this.stages.failingLater(oom));
        IllegalStateException body = new IllegalStateException("body");

        assertThat(Stages.outcome(stack.exitAsync(body)).failure()).isSameAs(oom);

        assertThat(oom.getSuppressed()).containsExactly(body, outer);
    }

    @Test
    void propagatesAVirtualMachineErrorThroughASwallowingExitFromCloseAsync() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.pushAsync((failure) -> CompletableFuture.completedFuture(true));
        StackOverflowError overflow = new StackOverflowError("fatal");
        stack.callbackAsync(() -> this.stages.failingLater(overflow));

        assertThat(Stages.outcome(stack.closeAsync()).failure()).isSameAs(overflow);
    }

    @Test
    void setsTheInterruptFlagAgainWhenAnInterruptedExceptionIsAttachedAsSuppressed() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        InterruptedException interrupted = new InterruptedException("interrupted");
        stack.registerAsync(() -> CompletableFuture.failedFuture(interrupted));
        IllegalStateException body = new IllegalStateException("body");

        CompletionStage<Boolean> exited = stack.exitAsync(body);

        assertThat(Thread.interrupted()).isTrue();
        assertThat(Stages.outcome(exited).value()).isEqualTo(false);
        assertThat(body.getSuppressed()).containsExactly(interrupted);
    }

    @Test
    void setsTheInterruptFlagAgainWhenAnInterruptedExceptionIsSwallowed() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        stack.pushAsync((failure) -> CompletableFuture.completedFuture(true));

        CompletionStage<Boolean> exited = stack.exitAsync(new InterruptedException("interrupted"));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(Stages.outcome(exited).value()).isEqualTo(true);
    }

    @Test
    void leavesTheInterruptFlagAloneWhenTheInterruptedExceptionPropagatesAsItself() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        InterruptedException interrupted = new InterruptedException("interrupted");
        stack.registerAsync(() -> CompletableFuture.failedFuture(interrupted));

        CompletionStage<Void> closed = stack.closeAsync();

        assertThat(Thread.interrupted()).isFalse();
        assertThat(Stages.outcome(closed).failure()).isSameAs(interrupted);
    }

    @Test
    void awaitsMinimalCompletionStagesLikeAnyOther() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IOException failed = new IOException("failed");
        stack.register(this.log.resource("outer"));
        stack.registerAsync(() -> CompletableFuture.failedStage(failed));
        stack.pushAsync((failure) -> CompletableFuture.completedStage(true));
        stack.registerAsync(() -> this.stages.later(null).minimalCompletionStage());

        assertThat(Stages.outcome(stack.exitAsync(new IllegalStateException("body"))).failure()).isSameAs(failed);

        assertThat(this.log.events()).containsExactly("close outer");
        assertThat(stack.size()).isZero();
    }

    /** An entry of every asynchronous kind that returns {@code null} instead of a stage. */
    private static final class NullReturning
            implements AsyncCloseable, AsyncExitCallback, AsyncContextManager<String>,
            ThrowingSupplier<CompletionStage<?>> {

        @Override
        public CompletionStage<?> closeAsync() {
            return null;
        }

        @Override
        public CompletionStage<Boolean> onExitAsync(Throwable failure) {
            return null;
        }

        @Override
        public CompletionStage<String> enterAsync() {
            return CompletableFuture.completedFuture("entered");
        }

        @Override
        public CompletionStage<Boolean> exitAsync(Throwable failure) {
            return null;
        }

        @Override
        public CompletionStage<?> get() {
            return null;
        }

    }

}
