package io.github.managedscopes;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule A8 of {@code docs/async.md}: there is no way to put an asynchronous entry
 * on a plain {@link ExitStack}, because no asynchronous type is {@link AutoCloseable},
 * {@link ContextManager} or {@link ExitCallback}, and no method of {@code ExitStack} takes
 * one: a synchronous close that would have to block on a stage does not compile.
 */
class AsyncCoreArchitectureTest {

    private static final List<Class<?>> ASYNC_TYPES = List.of(AsyncCloseable.class, AsyncContextManager.class,
            AsyncExitCallback.class, AsyncExitStack.class, FunctionalAsyncContextManager.class,
            ContextManagers.ofAsync(() -> CompletableFuture.completedFuture("value"),
                    (value) -> CompletableFuture.completedFuture(null)).getClass());

    private static final List<Class<?>> SYNC_TYPES = List.of(AutoCloseable.class, ContextManager.class,
            ExitCallback.class, ThrowingRunnable.class);

    @Test
    void makesNoAsyncTypeASyncEntry() {
        assertThat(violations(ASYNC_TYPES)).isEmpty();
    }

    @Test
    void givesExitStackNoMethodThatTakesAnAsyncEntry() {
        List<String> accepting = new ArrayList<>();
        for (Method method : ExitStack.class.getMethods()) {
            if (method.getDeclaringClass() == Object.class || !Modifier.isPublic(method.getModifiers())) {
                continue;
            }
            for (Class<?> parameter : method.getParameterTypes()) {
                ASYNC_TYPES.stream()
                    .filter(parameter::isAssignableFrom)
                    .forEach((async) -> accepting.add(method + " takes " + async.getSimpleName()));
            }
        }
        assertThat(accepting).isEmpty();
        assertThat(ExitStack.class.getMethods()).extracting(Method::getName).contains("register", "enterContext", "push");
    }

    @Test
    void catchesAnAsyncTypeThatIsAlsoASyncEntry() {
        assertThat(violations(List.of(BothKinds.class))).singleElement()
            .asString()
            .contains("BothKinds", "AutoCloseable");
    }

    private static List<String> violations(List<Class<?>> asyncTypes) {
        List<String> violations = new ArrayList<>();
        for (Class<?> async : asyncTypes) {
            SYNC_TYPES.stream()
                .filter((sync) -> sync.isAssignableFrom(async))
                .forEach((sync) -> violations.add(async.getSimpleName() + " is a " + sync.getSimpleName()));
        }
        assertThat(Arrays.asList(AsyncExitStack.class.getInterfaces())).contains(AsyncContextManager.class);
        return violations;
    }

    /** The fixture: an asynchronous resource that could be put on a plain stack. */
    private interface BothKinds extends AsyncCloseable, AutoCloseable {
    }

}
