package io.github.managedscopes.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.spring.ManagedResource;
import io.github.managedscopes.spring.ManagedScopes;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that misuse the library the way a careless caller would, for {@link BadInputTests}.
 */
@RestController
class BadInputController {

    /** Released by the test to let {@code /bad/block}'s close return. */
    static volatile CountDownLatch release = new CountDownLatch(0);

    /** Counted down when {@code /bad/block}'s close starts. */
    static volatile CountDownLatch closing = new CountDownLatch(1);

    /** Whether {@code /bad/block}'s close has returned. */
    static final AtomicBoolean closed = new AtomicBoolean();

    private final NullResources nulls;

    BadInputController(NullResources nulls) {
        this.nulls = nulls;
    }

    /** Registers one resource, then tries every registration method with {@code null}. */
    @GetMapping("/bad/null")
    String nulls() throws Exception {
        ExitStack stack = ManagedScopes.current();
        stack.register(() -> {
        }, "bad.good");
        List<String> messages = new ArrayList<>();
        List<Runnable> attempts = List.of(() -> stack.register(null), () -> stack.register(null, "bad.null"),
                () -> stack.push(null), () -> stack.callback(null), () -> stack.onFailure(null),
                () -> stack.onSuccess(null), () -> {
                    try {
                        stack.enterContext(null);
                    }
                    catch (RuntimeException ex) {
                        throw ex;
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
        for (Runnable attempt : attempts) {
            try {
                attempt.run();
                messages.add("accepted");
            }
            catch (NullPointerException ex) {
                messages.add(ex.getMessage());
            }
        }
        messages.add("managed null returns " + this.nulls.open() + ", size " + stack.size());
        return String.join("\n", messages);
    }

    /** A resource whose close blocks until the test releases it. */
    @GetMapping("/bad/block")
    String block() {
        CountDownLatch started = closing;
        CountDownLatch until = release;
        ManagedScopes.current().register(() -> {
            started.countDown();
            boolean released = until.await(60, TimeUnit.SECONDS);
            closed.set(true);
            if (!released) {
                throw new IllegalStateException("never released");
            }
        }, "bad.blocking");
        return "blocking";
    }

    /** {@code current()} on a thread the request's scope was not propagated to. */
    @GetMapping("/bad/outside")
    String outside() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ManagedScopes.current();
                return "a scope was found";
            }
            catch (IllegalStateException ex) {
                return ex.getMessage();
            }
        }, (task) -> new Thread(task, "unpropagated").start()).get(10, TimeUnit.SECONDS);
    }

    /** A {@code @ManagedResource} method that returns {@code null}. */
    static class NullResources {

        @ManagedResource(name = "bad.null")
        public @Nullable AutoCloseable open() {
            return null;
        }

    }

}
