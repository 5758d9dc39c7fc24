package io.github.managedscopes.spring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.managedscopes.ExitStack;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A web application with one endpoint per kind of handler, each registering probes on the
 * request's stack and using them from its asynchronous work.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableAsync
@Import({ RequestScopeTestApplication.ScopeController.class, RequestScopeTestApplication.AsyncWork.class })
class RequestScopeTestApplication {

    @Bean
    Journal journal() {
        return new Journal();
    }

    @Bean
    ScopeCounter scopeCounter() {
        return new ScopeCounter();
    }

    @Bean
    WebMvcConfigurer firstDispatchRecorder(Journal journal) {
        return new WebMvcConfigurer() {

            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AsyncHandlerInterceptor() {

                    @Override
                    public void afterConcurrentHandlingStarted(HttpServletRequest request,
                            HttpServletResponse response, Object handler) {
                        journal.add("first dispatch returned");
                    }

                });
            }

        };
    }

    /**
     * Counts scopes as they open and close, by kind.
     */
    static final class ScopeCounter implements ScopeListener {

        final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

        final Map<String, AtomicInteger> closed = new ConcurrentHashMap<>();

        /** How each scope ended: kind, whether it failed, and the ending's tag value. */
        final List<String> endings = new CopyOnWriteArrayList<>();

        @Override
        public OpenScopeListener scopeOpened(String kind) {
            this.opened.computeIfAbsent(kind, (key) -> new AtomicInteger()).incrementAndGet();
            return new OpenScopeListener() {
                @Override
                public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
                    ScopeCounter.this.endings.add(kind + " " + failed + " " + ending.tagValue());
                    ScopeCounter.this.closed.computeIfAbsent(kind, (key) -> new AtomicInteger()).incrementAndGet();
                }
            };
        }

        int opened(String kind) {
            AtomicInteger count = this.opened.get(kind);
            return (count != null) ? count.get() : 0;
        }

        int closed(String kind) {
            AtomicInteger count = this.closed.get(kind);
            return (count != null) ? count.get() : 0;
        }

    }

    @RestController
    static class ScopeController {

        private final ExitStack requestStack;

        private final Journal journal;

        private final ExecutorService worker = Executors.newCachedThreadPool();

        private final AsyncWork asyncWork;

        volatile @Nullable ExitStack captured;

        ScopeController(ExitStack requestStack, Journal journal, AsyncWork asyncWork) {
            this.requestStack = requestStack;
            this.journal = journal;
            this.asyncWork = asyncWork;
        }

        @PreDestroy
        void stopWorker() {
            this.worker.shutdownNow();
        }

        private Probe open(String name) {
            return this.requestStack.register(new Probe(name, this.journal));
        }

        private void watchExit() {
            this.requestStack.push((failure) -> {
                this.journal.exitSaw(failure);
                return false;
            });
        }

        @GetMapping("/untouched")
        String untouched() {
            return "untouched";
        }

        @GetMapping("/sync")
        String sync() {
            watchExit();
            open("a").use();
            open("b").use();
            this.journal.add("handler returned");
            return "sync";
        }

        @GetMapping("/sync-failure")
        String syncFailure() {
            watchExit();
            open("a");
            throw new IllegalStateException("handler failed");
        }

        @GetMapping("/callable")
        Callable<String> callable() {
            watchExit();
            Probe a = open("a");
            return () -> {
                this.journal.awaitEvent("first dispatch returned");
                a.use();
                open("b").use();
                return "callable";
            };
        }

        @GetMapping("/deferred")
        DeferredResult<String> deferred() {
            watchExit();
            Probe a = open("a");
            ExitStack stack = ManagedScopes.current();
            DeferredResult<String> result = new DeferredResult<>(10_000L);
            this.worker.execute(() -> {
                this.journal.awaitEvent("first dispatch returned");
                a.use();
                stack.register(new Probe("b", this.journal)).use();
                result.setResult("deferred");
            });
            return result;
        }

        @GetMapping("/deferred-failure")
        DeferredResult<String> deferredFailure() {
            watchExit();
            open("a");
            DeferredResult<String> result = new DeferredResult<>(10_000L);
            this.worker.execute(() -> {
                this.journal.awaitEvent("first dispatch returned");
                result.setErrorResult(new IllegalStateException("async work failed"));
            });
            return result;
        }

        @GetMapping("/deferred-timeout")
        DeferredResult<String> deferredTimeout() {
            watchExit();
            open("a");
            return new DeferredResult<>(200L);
        }

        @GetMapping("/future")
        CompletableFuture<String> future() {
            watchExit();
            Probe a = open("a");
            ExitStack stack = ManagedScopes.current();
            return CompletableFuture.supplyAsync(() -> {
                this.journal.awaitEvent("first dispatch returned");
                a.use();
                stack.register(new Probe("b", this.journal)).use();
                return "future";
            }, this.worker);
        }

        @GetMapping("/stream")
        StreamingResponseBody stream() {
            watchExit();
            Probe a = open("a");
            return (out) -> {
                this.journal.awaitEvent("first dispatch returned");
                a.use();
                open("b").use();
                out.write("stream".getBytes(StandardCharsets.UTF_8));
            };
        }

        @GetMapping("/stream-forever")
        StreamingResponseBody streamForever() {
            watchExit();
            open("a");
            byte[] chunk = new byte[8192];
            return (out) -> {
                for (int i = 0; i < 2_000; i++) {
                    out.write(chunk);
                    out.flush();
                    try {
                        Thread.sleep(5);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        throw new IOException(ex);
                    }
                }
            };
        }

        @GetMapping("/sse")
        SseEmitter sse() {
            watchExit();
            Probe a = open("a");
            SseEmitter emitter = new SseEmitter(10_000L);
            this.worker.execute(() -> {
                this.journal.awaitEvent("first dispatch returned");
                try {
                    a.use();
                    emitter.send("one");
                    emitter.complete();
                }
                catch (IOException ex) {
                    emitter.completeWithError(ex);
                }
            });
            return emitter;
        }

        @GetMapping("/capture")
        String capture() {
            this.captured = ManagedScopes.current();
            return "captured";
        }

        @GetMapping("/lease")
        String lease() {
            watchExit();
            Probe a = open("a");
            Lease lease = ManagedScopes.lease();
            this.asyncWork.useLater(a, lease);
            return "leased";
        }

    }

    /**
     * Work that runs on the application's task executor, with the request's scope
     * propagated to it.
     */
    static class AsyncWork {

        private final Journal journal;

        AsyncWork(Journal journal) {
            this.journal = journal;
        }

        @Async
        public void useLater(Probe probe, Lease lease) {
            try (lease) {
                this.journal.awaitEvent("response received");
                probe.use();
                ManagedScopes.current().register(new Probe("b", this.journal)).use();
                this.journal.add("lease closing");
            }
        }

    }

}
