package io.github.managedscopes.reliability.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.managedscopes.reliability.Faults.Type;
import org.jspecify.annotations.Nullable;

/**
 * What one request of the reactive variant does, sent in the {@value #HEADER} header: the
 * kind of endpoint, the resources it opens on the exchange's {@code AsyncExitStack} in order
 * (how, in the handler method or later in the returned pipeline on another thread, whether
 * entering or closing them fails), a failure of the pipeline itself, and whether the client
 * hangs up in the middle of the stream.
 *
 * @param id the request's unique id, part of every injected exception's message
 * @param kind the kind of endpoint
 * @param disconnect whether the client hangs up mid-stream (a {@code FLUX} or {@code SSE}
 * stream that runs until it does)
 * @param resources the resources, those of the handler method before those of the pipeline
 * @param body what the pipeline fails with after opening every resource, or {@code null}
 * @param elements how many elements a {@code FLUX} or {@code SSE} body emits before it
 * completes or fails
 */
record ReactivePlan(long id, Kind kind, boolean disconnect, List<Resource> resources, @Nullable Type body,
        int elements) {

    static final String HEADER = "X-Reactive-Plan";

    /** The kinds of endpoint. */
    enum Kind {

        /** A {@code Mono<String>}, its failures answered by an {@code @ExceptionHandler}. */
        MONO,

        /** A {@code Flux<String>} of text lines, its failures reaching the {@code WebExceptionHandler}s. */
        FLUX,

        /** A {@code Flux<ServerSentEvent<String>>}, its failures reaching the {@code WebExceptionHandler}s. */
        SSE;

        String path() {
            return "/rx/" + name().toLowerCase();
        }

    }

    /** How a resource is opened on the exchange's stack. */
    enum Opener {

        /** {@code register(AutoCloseable)}: its close throws synchronously. */
        SYNC('S'),

        /** {@code registerAsync(AsyncCloseable)}: its close stage completes later on another thread. */
        ASYNC('A'),

        /** {@code enterAsyncContext(AsyncContextManager)}: enter and exit stages complete on another thread. */
        CONTEXT('C'),

        /** A {@code @ManagedResource} method returning a {@code Mono}, swallowing SwallowedCloseException (pipeline only). */
        MANAGED('M');

        final char code;

        Opener(char code) {
            this.code = code;
        }

    }

    /**
     * A resource of the plan.
     * @param opener how it is opened
     * @param inPipeline whether the returned pipeline opens it (on another thread), rather
     * than the handler method
     * @param enterFault what opening it fails with, or {@code null}
     * @param closeFault what closing it fails with, or {@code null}
     */
    record Resource(Opener opener, boolean inPipeline, @Nullable Type enterFault, @Nullable Type closeFault) {
    }

    boolean streams() {
        return this.kind != Kind.MONO;
    }

    String encode() {
        StringBuilder out = new StringBuilder();
        out.append(this.id).append(';').append(this.kind).append(';').append(this.disconnect ? 'D' : '-').append(';');
        out.append(code(this.body)).append(';').append(this.elements).append(';');
        for (Resource resource : this.resources) {
            out.append(resource.opener().code)
                .append(resource.inPipeline() ? 'p' : 'h')
                .append(code(resource.enterFault()))
                .append(code(resource.closeFault()));
        }
        return out.toString();
    }

    static ReactivePlan decode(String encoded) {
        String[] parts = encoded.split(";", -1);
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < parts[5].length(); i += 4) {
            Opener opener = Opener.SYNC;
            for (Opener candidate : Opener.values()) {
                opener = (candidate.code == parts[5].charAt(i)) ? candidate : opener;
            }
            resources.add(new Resource(opener, parts[5].charAt(i + 1) == 'p', type(parts[5].charAt(i + 2)),
                    type(parts[5].charAt(i + 3))));
        }
        return new ReactivePlan(Long.parseLong(parts[0]), Kind.valueOf(parts[1]), parts[2].equals("D"),
                List.copyOf(resources), type(parts[3].charAt(0)), Integer.parseInt(parts[4]));
    }

    private static char code(@Nullable Type type) {
        return (type != null) ? type.name().charAt(0) : '-';
    }

    private static @Nullable Type type(char code) {
        for (Type type : Type.values()) {
            if (type.name().charAt(0) == code) {
                return type;
            }
        }
        return null;
    }

    /**
     * A random plan: up to four resources, each fault with a fixed probability. A disconnect
     * plan streams until its client hangs up, opens its resources in the handler method and
     * injects close faults only, so that the hang-up is what the scope ends with.
     */
    static ReactivePlan random(Random random, long id, boolean disconnect) {
        Kind kind = disconnect ? (random.nextBoolean() ? Kind.FLUX : Kind.SSE)
                : Kind.values()[random.nextInt(Kind.values().length)];
        List<Resource> inHandler = new ArrayList<>();
        List<Resource> inPipeline = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            Opener opener = Opener.values()[random.nextInt(disconnect ? 3 : 4)];
            boolean pipeline = !disconnect && (opener == Opener.MANAGED || random.nextBoolean());
            Type enterFault = (!disconnect && random.nextInt(100) < 8) ? Type.values()[random.nextInt(3)] : null;
            Type closeFault = (random.nextInt(100) < 35)
                    ? Type.values()[random.nextInt((opener == Opener.MANAGED) ? 4 : 3)] : null;
            (pipeline ? inPipeline : inHandler).add(new Resource(opener, pipeline, enterFault, closeFault));
        }
        inHandler.addAll(inPipeline);
        Type body = (!disconnect && random.nextInt(100) < 25) ? Type.values()[random.nextInt(3)] : null;
        int elements = (kind == Kind.MONO) ? 0 : (body != null) ? random.nextInt(4) : 1 + random.nextInt(3);
        return new ReactivePlan(id, kind, disconnect, List.copyOf(inHandler), body, elements);
    }

}
