package io.github.managedscopes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Rule 9 of {@code docs/unwinding.md} for the asynchronous core: every {@code null} argument fails
 * at once with a {@link NullPointerException} naming it, never later at unwind; the
 * registration methods return the resource or the stack.
 */
class AsyncExitStackRegistrationTest {

    private static final AsyncExitStack STACK = new AsyncExitStack();

    static Stream<Arguments> nullArguments() {
        return Stream.of(
                nullArgument("register", "resource", () -> STACK.register(null)),
                nullArgument("register with a name", "resource", () -> STACK.register(null, "name")),
                nullArgument("registerAsync", "resource", () -> STACK.registerAsync(null)),
                nullArgument("registerAsync with a name", "resource", () -> STACK.registerAsync(null, "name")),
                nullArgument("enterContext", "manager", () -> STACK.enterContext(null)),
                nullArgument("enterAsyncContext", "manager", () -> STACK.enterAsyncContext(null)),
                nullArgument("push", "exit", () -> STACK.push(null)),
                nullArgument("pushAsync", "exit", () -> STACK.pushAsync(null)),
                nullArgument("callback", "cleanup", () -> STACK.callback(null)),
                nullArgument("callbackAsync", "cleanup", () -> STACK.callbackAsync(null)),
                nullArgument("onFailure", "compensation", () -> STACK.onFailure(null)),
                nullArgument("onSuccess", "action", () -> STACK.onSuccess(null)),
                nullArgument("the constructor", "listener", () -> new AsyncExitStack(null)),
                nullArgument("withCloseTimeout", "timeout", () -> AsyncExitStack.withCloseTimeout(null)),
                nullArgument("forScope's scope", "scope",
                        () -> AsyncExitStack.forScope(null, ExitStackListener.NONE, Duration.ofSeconds(1))),
                nullArgument("forScope's listener", "listener",
                        () -> AsyncExitStack.forScope("scope", null, Duration.ofSeconds(1))),
                nullArgument("ofAsync's enter", "enter",
                        () -> ContextManagers.ofAsync(null, (value) -> CompletableFuture.completedFuture(null))),
                nullArgument("ofAsync's exit", "exit",
                        () -> ContextManagers.ofAsync(() -> CompletableFuture.completedFuture("value"), null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullArguments")
    void rejectsANullArgumentAtOnceNamingIt(String method, String argument, ThrowingCallable call) {
        assertThatNullPointerException().isThrownBy(call).withMessage("'" + argument + "' must not be null");
        assertThat(STACK.size()).isZero();
    }

    @Test
    void returnsTheResourceOrTheStackFromEveryRegistration() throws Exception {
        AsyncExitStack stack = new AsyncExitStack();
        AsyncCloseable asyncResource = () -> CompletableFuture.completedFuture(null);
        AutoCloseable resource = () -> {
        };
        ExitStack nested = new ExitStack();

        assertThat(stack.registerAsync(asyncResource)).isSameAs(asyncResource);
        assertThat(stack.register(resource)).isSameAs(resource);
        assertThat(stack.enterContext(nested)).isSameAs(nested);
        assertThat(stack.pushAsync((failure) -> CompletableFuture.completedFuture(false))).isSameAs(stack);
        assertThat(stack.callbackAsync(() -> CompletableFuture.completedFuture(null))).isSameAs(stack);
        assertThat(stack.push((failure) -> false)).isSameAs(stack);
        assertThat(stack.callback(() -> {
        })).isSameAs(stack);
        assertThat(stack.onFailure(() -> {
        })).isSameAs(stack);
        assertThat(stack.onSuccess(() -> {
        })).isSameAs(stack);
        assertThat(stack.size()).isEqualTo(9);
        AsyncExitStack moved = stack.popAll();
        assertThat(stack.size()).isZero();
        assertThat(moved.size()).isEqualTo(9);
        assertThat(Stages.outcome(moved.closeAsync()).failure()).isNull();
    }

    private static Arguments nullArgument(String method, String argument, ThrowingCallable call) {
        return Arguments.of(method, argument, call);
    }

}
