package io.github.managedscopes.reliability.reactive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.reliability.Faults.Type;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Opener;
import io.github.managedscopes.reliability.reactive.ReactivePlan.Resource;
import org.jspecify.annotations.Nullable;

/**
 * What must happen to a planned exchange, worked out from its plan alone by the rules of
 * nested try-with-resources: which resources open, the reverse order they close in (each
 * asynchronous close awaited before the next starts), what each context manager's exit is
 * handed, which failure is in flight, and the fate of every other injected exception.
 * {@link ReactiveChecks} compares it with what the server and the client observed.
 */
final class ReactiveExpectation {

    /** What the exits see when the client hung up: a cancellation naming the request, or the I/O failure. */
    static final String DISCONNECT = "disconnect";

    /** Where an injected exception ends up. */
    enum Fate {

        /** The pipeline's failure: the error handler answers it, the scope unwinds with it in flight. */
        PROPAGATED,

        /** A close failure with nothing in flight: the unwind fails with it, after the response, so the scope logs it at ERROR. */
        LOGGED,

        /** Added with addSuppressed to the failure in flight, counted as close-during-failure. */
        ATTACHED,

        /** Swallowed by {@code @ManagedResource(suppress)}, counted as swallowed. */
        SWALLOWED

    }

    final ReactivePlan plan;

    final List<Integer> opened = new ArrayList<>();

    final Map<String, Fate> fates = new LinkedHashMap<>();

    final Map<Integer, String> contextSaw = new HashMap<>();

    /** What the outermost exit sees: an injected site, {@value #DISCONNECT}, or {@code nothing}. */
    final String primary;

    private ReactiveExpectation(ReactivePlan plan) {
        this.plan = plan;
        List<Resource> resources = plan.resources();
        String failure = null;
        for (int i = 0; i < resources.size() && failure == null; i++) {
            failure = open(i, resources.get(i));
        }
        if (failure == null && plan.disconnect()) {
            failure = DISCONNECT;
        }
        if (failure == null && plan.body() != null) {
            failure = "body";
        }
        boolean pipelineFailed = failure != null;
        String pending = failure;
        for (int k = this.opened.size() - 1; k >= 0; k--) {
            int index = this.opened.get(k);
            Resource resource = resources.get(index);
            if (resource.opener() == Opener.CONTEXT) {
                this.contextSaw.put(index, (pending != null) ? pending : "nothing");
            }
            if (resource.closeFault() == null) {
                continue;
            }
            String site = "close#" + index;
            if (resource.closeFault() == Type.SWALLOWED) {
                this.fates.put(site, Fate.SWALLOWED);
            }
            else if (pending == null) {
                pending = site;
            }
            else {
                this.fates.put(site, Fate.ATTACHED);
            }
        }
        this.primary = (pending != null) ? pending : "nothing";
        if (pending != null && !pending.equals(DISCONNECT)) {
            this.fates.put(pending, pipelineFailed ? Fate.PROPAGATED : Fate.LOGGED);
        }
    }

    static ReactiveExpectation of(ReactivePlan plan) {
        return new ReactiveExpectation(plan);
    }

    private @Nullable String open(int index, Resource resource) {
        if (resource.enterFault() != null) {
            return "enter#" + index;
        }
        this.opened.add(index);
        return null;
    }

    @Nullable Fate primaryFate() {
        return this.fates.get(this.primary);
    }

    /** The sites the scope logs at WARN: what it attached to a failure that came from the pipeline or the client. */
    List<String> warned() {
        boolean fromPipeline = primaryFate() == Fate.PROPAGATED || this.primary.equals(DISCONNECT);
        return this.fates.entrySet().stream()
            .filter((entry) -> fromPipeline && entry.getValue() == Fate.ATTACHED)
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    }

    /** What the client must receive: the status and body, {@code broken} for a stream cut off by its failure. */
    String response() {
        if (this.plan.disconnect()) {
            return "hung up";
        }
        if (primaryFate() != Fate.PROPAGATED) {
            return "200 " + completeBody();
        }
        if (this.plan.kind() == ReactivePlan.Kind.MONO) {
            return "500 rq" + this.plan.id() + "/" + this.primary;
        }
        return (this.primary.equals("body") && this.plan.elements() > 0) ? "broken" : "500";
    }

    private String completeBody() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < this.plan.elements(); i++) {
            body.append((this.plan.kind() == ReactivePlan.Kind.SSE) ? "data:line " + i + "\n\n" : "line " + i + "\n");
        }
        return (this.plan.kind() == ReactivePlan.Kind.MONO) ? "ok" : body.toString();
    }

    /**
     * What a failure stands for: the site of the injected exception in its cause chain,
     * {@value #DISCONNECT} for a cancellation or an I/O failure, else its class name.
     */
    static String describe(@Nullable Throwable failure) {
        String described = Faults.describe(failure);
        if (described.equals("io")) {
            return DISCONNECT;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CancellationException || cause instanceof IOException
                    || cause.getClass().getName().equals("reactor.netty.channel.AbortedException")) {
                return DISCONNECT;
            }
        }
        return described;
    }

    /** The listener reports an exception of {@code fate} must get. */
    static List<SuppressionReason> reportsOf(Fate fate) {
        return switch (fate) {
            case ATTACHED -> List.of(SuppressionReason.CLOSE_DURING_FAILURE);
            case SWALLOWED -> List.of(SuppressionReason.SWALLOWED);
            default -> List.of();
        };
    }

    /** Whether {@code exception} is one of those attached to {@code failure}. */
    static boolean attachedTo(@Nullable Throwable failure, Throwable exception) {
        return failure != null && Arrays.stream(failure.getSuppressed()).anyMatch((candidate) -> candidate == exception);
    }

}
