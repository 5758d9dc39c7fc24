package io.github.managedscopes;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule A4 of {@code docs/async.md}: {@code enterAsyncContext} registers a
 * manager's exit only once its {@code enterAsync()} stage completed normally, and an
 * {@link AsyncExitStack} or {@link ExitStack} entered into an {@code AsyncExitStack} composes
 * exactly as if its entries had been registered on the outer one.
 */
class AsyncExitStackCompositionTest {

    private final EventLog log = new EventLog();

    @RegisterExtension
    final Stages stages = new Stages();

    @Test
    void registersTheExitOnlyOnceEnteringCompletedAndThenCompletesWithTheValue() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        CompletableFuture<String> entering = new CompletableFuture<>();
        Manager manager = new Manager(entering);

        CompletableFuture<String> entered = stack.enterAsyncContext(manager).toCompletableFuture();

        assertThat(entered).isNotDone();
        assertThat(stack.size()).isZero();
        int[] sizeWhenEntered = { -1 };
        CompletableFuture<String> seen = entered.whenComplete((value, failure) -> sizeWhenEntered[0] = stack.size());
        this.stages.onCompleter(() -> entering.complete("value"));
        assertThat(Stages.outcome(seen).value()).isEqualTo("value");
        assertThat(sizeWhenEntered[0]).isOne();
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
        assertThat(this.log.events()).containsExactly("exit(null)");
    }

    @Test
    void registersNothingAndFailsWithWhatEnteringFailedWithUnwrapped() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IOException refused = new IOException("refused");
        Manager manager = new Manager(this.stages.failingLater(new CompletionException(refused)));

        Throwable failure = Stages.outcome(stack.enterAsyncContext(manager)).failure();

        assertThat(failure).isSameAs(refused);
        assertThat(stack.size()).isZero();
        assertThat(Stages.outcome(stack.closeAsync()).failure()).isNull();
        assertThat(this.log.events()).isEmpty();
    }

    @Test
    void registersNothingWhenEnteringThrowsOrReturnsNull() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        IllegalStateException thrown = new IllegalStateException("thrown");

        Throwable threw = Stages.outcome(stack.enterAsyncContext(new Manager(null) {
            @Override
            public CompletionStage<String> enterAsync() {
                throw thrown;
            }
        })).failure();
        Throwable returnedNull = Stages.outcome(stack.enterAsyncContext(new Manager(null))).failure();

        assertThat(threw).isSameAs(thrown);
        assertThat(returnedNull).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("Manager")
            .hasMessageContaining("enterAsync()");
        assertThat(stack.size()).isZero();
    }

    @Test
    void composesAnEnteredAsyncExitStackAsIfItsEntriesWereRegisteredOnTheOuterOne() throws Exception {
        AsyncExitStack outer = new AsyncExitStack();
        outer.register(this.log.resource("outer"));
        AsyncExitStack nested = new AsyncExitStack();
        nested.registerAsync(() -> this.stages.later(null).thenRun(() -> this.log.add("close nested async")));
        nested.register(this.log.resource("nested sync"));
        assertThat(outer.enterAsyncContext(nested).toCompletableFuture().getNow(null)).isSameAs(nested);
        outer.callback(this.log.action("inner"));

        assertThat(Stages.outcome(outer.closeAsync()).failure()).isNull();

        assertThat(this.log.events()).containsExactly("run inner", "close nested sync", "close nested async",
                "close outer");
    }

    @Test
    void failsWithTheNewFailureWhenANestedAsyncStackSwallowedAndThenOneOfItsEntriesFailed() throws Exception {
        IOException later = new IOException("later");
        IllegalStateException body = new IllegalStateException("body");
        AsyncExitStack outer = new AsyncExitStack();
        outer.pushAsync((failure) -> {
            this.log.add("outer saw " + EventLog.describe(failure));
            return CompletableFuture.completedFuture(false);
        });
        AsyncExitStack nested = new AsyncExitStack();
        nested.registerAsync(() -> this.stages.failingLater(later));
        nested.pushAsync((failure) -> this.stages.later(true));
        outer.enterAsyncContext(nested);

        Stages.Outcome outcome = Stages.outcome(outer.exitAsync(body));

        assertThat(outcome.failure()).isSameAs(later);
        assertThat(later.getSuppressed()).isEmpty();
        assertThat(body.getSuppressed()).isEmpty();
        assertThat(this.log.events()).containsExactly("outer saw later");
    }

    @Test
    void composesAnEnteredExitStackIncludingSwallowThenFail() throws Exception {
        IOException later = new IOException("later");
        IllegalStateException body = new IllegalStateException("body");
        AsyncExitStack outer = new AsyncExitStack();
        outer.pushAsync((failure) -> {
            this.log.add("outer saw " + EventLog.describe(failure));
            return this.stages.later(false);
        });
        ExitStack nested = new ExitStack();
        nested.register(this.log.failingResource("nested", later));
        nested.push(this.log.exit("swallower", true));
        assertThat(outer.enterContext(nested)).isSameAs(nested);

        Stages.Outcome outcome = Stages.outcome(outer.exitAsync(body));

        assertThat(outcome.failure()).isSameAs(later);
        assertThat(this.log.events()).containsExactly("exit swallower(body)", "close nested", "outer saw later");
    }

    @Test
    void keepsTheFailureInFlightPrimaryWhenANestedStacksEntryFailsWithoutSwallowing() throws Exception {
        IOException later = new IOException("later");
        IllegalStateException body = new IllegalStateException("body");
        AsyncExitStack outer = new AsyncExitStack();
        AsyncExitStack nested = new AsyncExitStack();
        nested.registerAsync(() -> this.stages.failingLater(later));
        outer.enterAsyncContext(nested);

        Stages.Outcome outcome = Stages.outcome(outer.exitAsync(body));

        assertThat(outcome.value()).isEqualTo(false);
        assertThat(body.getSuppressed()).containsExactly(later);
    }

    /** An asynchronous context manager entered with a given stage, recording its exit. */
    private class Manager implements AsyncContextManager<String> {

        private final @Nullable CompletionStage<String> entering;

        Manager(@Nullable CompletionStage<String> entering) {
            this.entering = entering;
        }

        @Override
        public CompletionStage<String> enterAsync() {
            return this.entering;
        }

        @Override
        public CompletionStage<Boolean> exitAsync(@Nullable Throwable failure) {
            AsyncExitStackCompositionTest.this.log.add("exit(" + EventLog.describe(failure) + ")");
            return CompletableFuture.completedFuture(false);
        }

    }

}
