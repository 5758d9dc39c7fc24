package io.github.managedscopes.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.reliability.FaultPlan.Resource;
import io.github.managedscopes.reliability.FaultPlan.Special;
import io.github.managedscopes.reliability.ReliabilityApplication.FaultResources;
import io.github.managedscopes.reliability.ReliabilityApplication.Probe;
import io.github.managedscopes.reliability.ReliabilityApplication.ProbeContext;
import io.github.managedscopes.reliability.ReliabilityApplication.TxService;
import io.github.managedscopes.spring.ManagedScopes;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * One endpoint per kind of handler. Each opens the request's scope, registers an exit that
 * records the failure in flight at the very end of the unwind, then plays its plan: the
 * first dispatch opens its resources and runs the transaction step, the asynchronous part
 * (on another thread, for the asynchronous kinds) opens the rest and fails if planned.
 */
@RestController
class FaultController {

    private static final byte[] CHUNK = new byte[4096];

    /** The time-out of SseEmitter streams that are not meant to time out. */
    static final long SSE_TIMEOUT_MILLIS = 20_000L;

    private final FaultResources resources;

    private final TxService tx;

    private final ExecutorService workers;

    private final Ledger ledger;

    FaultController(FaultResources resources, TxService tx, ExecutorService faultWorkers, Ledger ledger) {
        this.resources = resources;
        this.tx = tx;
        this.workers = faultWorkers;
        this.ledger = ledger;
    }

    @GetMapping("/rel/sync")
    String sync(HttpServletRequest request) throws Exception {
        Play play = start(request);
        if (play.record.plan.special() == Special.LATE) {
            play.record.captured = play.stack;
        }
        play.firstDispatch();
        play.asyncPart();
        if (play.record.plan.special() == Special.ABANDON) {
            // A lease nobody closes: the scope is never unwound, and is garbage-collected.
            ManagedScopes.lease();
        }
        return "ok";
    }

    @GetMapping("/rel/callable")
    Callable<String> callable(HttpServletRequest request) throws Exception {
        Play play = start(request);
        play.firstDispatch();
        return () -> {
            play.asyncPart();
            return "ok";
        };
    }

    @GetMapping("/rel/deferred")
    DeferredResult<String> deferred(HttpServletRequest request) throws Exception {
        Play play = start(request);
        play.firstDispatch();
        if (play.record.plan.special() == Special.TIMEOUT) {
            return new DeferredResult<>(100L);
        }
        DeferredResult<String> result = new DeferredResult<>(20_000L);
        this.workers.execute(() -> {
            try {
                play.asyncPart();
                result.setResult("ok");
            }
            catch (Throwable ex) {
                result.setErrorResult(ex);
            }
        });
        return result;
    }

    @GetMapping("/rel/future")
    CompletableFuture<String> future(HttpServletRequest request) throws Exception {
        Play play = start(request);
        play.firstDispatch();
        CompletableFuture<String> result = new CompletableFuture<>();
        this.workers.execute(() -> {
            try {
                play.asyncPart();
                result.complete("ok");
            }
            catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        });
        return result;
    }

    @GetMapping("/rel/stream")
    StreamingResponseBody stream(HttpServletRequest request) throws Exception {
        Play play = start(request);
        play.firstDispatch();
        if (play.record.plan.special() == Special.DISCONNECT) {
            return (out) -> writeUntilDisconnected(play.record, () -> {
                out.write(CHUNK);
                out.flush();
            });
        }
        return (out) -> {
            try {
                play.asyncPart();
            }
            catch (Exception ex) {
                throw Faults.<IOException>sneakyThrow(ex);
            }
            out.write("ok".getBytes(StandardCharsets.UTF_8));
        };
    }

    @GetMapping("/rel/sse")
    SseEmitter sse(HttpServletRequest request) throws Exception {
        Play play = start(request);
        play.firstDispatch();
        if (play.record.plan.special() == Special.TIMEOUT) {
            return new SseEmitter(100L);
        }
        Special special = play.record.plan.special();
        boolean stream = special == Special.DISCONNECT || special == Special.STUCK;
        // A stuck client's stream has no time-out, as many applications configure theirs.
        SseEmitter emitter = new SseEmitter((special == Special.STUCK) ? 0L : SSE_TIMEOUT_MILLIS);
        String chunk = "x".repeat(CHUNK.length);
        if (stream && Hangup.of(play.record.plan.id()).firstEventBeforeReturn()) {
            emitter.send(chunk);
        }
        this.workers.execute(() -> {
            try {
                if (stream) {
                    writeUntilDisconnected(play.record, () -> emitter.send(chunk));
                }
                else {
                    play.asyncPart();
                    emitter.send("ok");
                }
                emitter.complete();
            }
            catch (Throwable ex) {
                try {
                    emitter.completeWithError(ex);
                }
                catch (IllegalStateException refused) {
                    // Tomcat refuses a dispatch from an application thread once it reported an error.
                }
            }
        });
        return emitter;
    }

    /** Registers on the scope of an earlier request, which has ended: refused, and closed at once. */
    @GetMapping("/rel/late")
    String late(@RequestParam long of) {
        RequestRecord target = this.ledger.get(of);
        ExitStack ended = target.captured;
        try {
            ended.register(() -> target.lateCloses.incrementAndGet(), "rel.late");
            target.problems.add("a registration on an ended request scope was accepted");
        }
        catch (IllegalStateException ex) {
            target.lateRefusal = ex;
        }
        return "late";
    }

    /**
     * The producer of a stream that runs until its client goes away (at most about ten
     * seconds): between two writes it checks that none of its request's resources was closed
     * under it, and it stops on its first failed write.
     */
    private static void writeUntilDisconnected(RequestRecord record, Write write) throws IOException {
        for (int i = 0; i < 5_000; i++) {
            checkNothingClosedUnder(record);
            write.write();
            pace();
        }
        checkNothingClosedUnder(record);
    }

    private static void checkNothingClosedUnder(RequestRecord record) {
        for (int index = 0; index < record.closes.length(); index++) {
            if (record.closes.get(index) > 0 && record.plan.special() != Special.STUCK) {
                record.problems.add("resource " + index + " was closed under the running producer");
                return;
            }
        }
    }

    /** One write of a stream's producer. */
    @FunctionalInterface
    private interface Write {

        void write() throws IOException;

    }

    /** Paces a stream that runs until its client disconnects (at most about ten seconds). */
    private static void pace() throws IOException {
        try {
            Thread.sleep(2);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    private Play start(HttpServletRequest request) {
        RequestRecord record = (RequestRecord) request.getAttribute(ReliabilityApplication.RECORD);
        ExitStack stack = ManagedScopes.current();
        Ledger.ScopeProbe probe = Ledger.takeOpenedScope();
        if (probe == null) {
            record.problems.add("the handler did not open the request scope");
        }
        else {
            probe.record = record;
        }
        stack.push((failure) -> {
            record.exitSaw(failure);
            return false;
        });
        return new Play(record, stack);
    }

    /**
     * A plan being played.
     */
    private final class Play {

        final RequestRecord record;

        final ExitStack stack;

        Play(RequestRecord record, ExitStack stack) {
            this.record = record;
            this.stack = stack;
        }

        void firstDispatch() throws Exception {
            openAll(false);
            if (this.record.plan.tx() != null) {
                FaultController.this.tx.write(this.record);
            }
        }

        void asyncPart() throws Exception {
            openAll(true);
            if (this.record.plan.body() != null) {
                throw Faults.<Exception>sneakyThrow(this.record.inject(this.record.plan.body(), "body"));
            }
        }

        private void openAll(boolean async) throws Exception {
            List<Resource> planned = this.record.plan.resources();
            for (int i = 0; i < planned.size(); i++) {
                if (planned.get(i).async() == async) {
                    open(i, planned.get(i));
                }
            }
        }

        private void open(int index, Resource resource) throws Exception {
            switch (resource.opener()) {
                case REGISTER -> {
                    this.record.entering(index);
                    this.stack.register(new Probe(this.record, index), "rel.register");
                }
                case MANAGED -> FaultController.this.resources.managed(this.record, index);
                case CLOSE_METHOD -> FaultController.this.resources.handle(this.record, index);
                case CONTEXT -> this.stack.enterContext(new ProbeContext(this.record, index));
            }
            this.record.opened(index);
        }

    }

}
