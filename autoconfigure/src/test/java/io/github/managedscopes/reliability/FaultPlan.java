package io.github.managedscopes.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.managedscopes.reliability.Faults.Type;
import org.jspecify.annotations.Nullable;

/**
 * What one request of the suite does and which faults it injects, sent to the server in the
 * {@value #HEADER} header: the handler kind, the resources it opens in order (how, in which
 * phase, whether entering or closing them throws), an optional transaction with rollback and
 * commit hooks, and an optional failure of the handler's body.
 *
 * @param id the request's unique id, part of every injected exception's message
 * @param kind the kind of handler
 * @param special a time-out, disconnect, late registration or abandoned scope, or none
 * @param resources the resources, those of the first dispatch before those of the asynchronous part
 * @param tx the transaction step of the first dispatch, or {@code null}
 * @param body what the body throws after opening every resource, or {@code null}
 */
record FaultPlan(long id, Kind kind, Special special, List<Resource> resources, @Nullable Tx tx,
        @Nullable Type body) {

    static final String HEADER = "X-Fault-Plan";

    /** The kinds of handler. */
    enum Kind {

        SYNC, CALLABLE, DEFERRED, FUTURE, STREAM, SSE;

        String path() {
            return "/rel/" + name().toLowerCase();
        }

    }

    /** What else happens to a request. */
    enum Special {

        NONE, TIMEOUT, DISCONNECT, LATE, ABANDON,

        /** An SseEmitter without time-out whose client keeps its socket open and stops reading: only the deadline ends it. */
        STUCK

    }

    /** How a resource is opened. */
    enum Opener {

        /** {@code ExitStack.register(resource, name)}. */
        REGISTER('R'),

        /** A {@code @ManagedResource} method returning an AutoCloseable, swallowing SwallowedCloseException. */
        MANAGED('M'),

        /** A {@code @ManagedResource(closeMethod = "release")} method, swallowing SwallowedCloseException. */
        CLOSE_METHOD('X'),

        /** {@code ExitStack.enterContext(ContextManager)}. */
        CONTEXT('C');

        final char code;

        Opener(char code) {
            this.code = code;
        }

    }

    /**
     * A resource of the plan.
     * @param opener how it is opened
     * @param async whether the asynchronous part opens it (from another thread)
     * @param enterFault what opening it throws, or {@code null}
     * @param closeFault what closing it throws, or {@code null}
     */
    record Resource(Opener opener, boolean async, @Nullable Type enterFault, @Nullable Type closeFault) {
    }

    /**
     * A transaction on H2 that writes a row and registers a rollback and a commit hook.
     * @param rollback whether it throws and rolls back
     * @param rollbackHookFault what the rollback hook throws, or {@code null}
     * @param commitHookFault what the commit hook throws, or {@code null}
     */
    record Tx(boolean rollback, @Nullable Type rollbackHookFault, @Nullable Type commitHookFault) {
    }

    boolean isAsync() {
        return this.kind != Kind.SYNC;
    }

    String encode() {
        StringBuilder out = new StringBuilder();
        out.append(this.id).append(';').append(this.kind).append(';').append(this.special).append(';');
        out.append(code(this.body)).append(';');
        if (this.tx == null) {
            out.append('-');
        }
        else {
            out.append(this.tx.rollback() ? 'R' : 'C').append(code(this.tx.rollbackHookFault()))
                .append(code(this.tx.commitHookFault()));
        }
        out.append(';');
        for (Resource resource : this.resources) {
            out.append(resource.opener().code)
                .append(resource.async() ? 'a' : 'f')
                .append(code(resource.enterFault()))
                .append(code(resource.closeFault()));
        }
        return out.toString();
    }

    static FaultPlan decode(String encoded) {
        String[] parts = encoded.split(";", -1);
        Tx tx = null;
        if (!parts[4].equals("-")) {
            tx = new Tx(parts[4].charAt(0) == 'R', type(parts[4].charAt(1)), type(parts[4].charAt(2)));
        }
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < parts[5].length(); i += 4) {
            Opener opener = null;
            for (Opener candidate : Opener.values()) {
                opener = (candidate.code == parts[5].charAt(i)) ? candidate : opener;
            }
            resources.add(new Resource(opener, parts[5].charAt(i + 1) == 'a', type(parts[5].charAt(i + 2)),
                    type(parts[5].charAt(i + 3))));
        }
        return new FaultPlan(Long.parseLong(parts[0]), Kind.valueOf(parts[1]), Special.valueOf(parts[2]),
                resources, tx, type(parts[3].charAt(0)));
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
     * A random plan: up to four resources, each fault with a fixed probability, for the
     * given special case (which constrains the kind and the faults).
     */
    static FaultPlan random(Random random, long id, Special special) {
        Kind kind = switch (special) {
            case TIMEOUT -> random.nextBoolean() ? Kind.DEFERRED : Kind.SSE;
            case DISCONNECT -> random.nextBoolean() ? Kind.SSE : Kind.STREAM;
            case STUCK -> Kind.SSE;
            case LATE, ABANDON -> Kind.SYNC;
            case NONE -> Kind.values()[random.nextInt(Kind.values().length)];
        };
        boolean quiet = special == Special.ABANDON;
        boolean streamEnds = special == Special.TIMEOUT || special == Special.DISCONNECT || special == Special.STUCK;
        boolean firstDispatchOnly = kind == Kind.SYNC || streamEnds;
        List<Resource> first = new ArrayList<>();
        List<Resource> async = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            Opener opener = quiet ? (random.nextBoolean() ? Opener.REGISTER : Opener.MANAGED)
                    : Opener.values()[random.nextInt(Opener.values().length)];
            boolean inAsyncPart = !firstDispatchOnly && (opener == Opener.REGISTER || opener == Opener.CONTEXT)
                    && random.nextBoolean();
            Type enterFault = (!quiet && opener != Opener.REGISTER && random.nextInt(100) < 8)
                    ? (random.nextBoolean() ? Type.RUNTIME : Type.CHECKED) : null;
            Type closeFault = null;
            if (!quiet && random.nextInt(100) < 35) {
                boolean swallows = opener == Opener.MANAGED || opener == Opener.CLOSE_METHOD;
                closeFault = Type.values()[random.nextInt(swallows ? 4 : 3)];
            }
            (inAsyncPart ? async : first).add(new Resource(opener, inAsyncPart, enterFault, closeFault));
        }
        first.addAll(async);
        Tx tx = null;
        if (!quiet && random.nextInt(100) < 30) {
            tx = new Tx(random.nextBoolean(), hookFault(random), hookFault(random));
        }
        Type body = (!quiet && !firstDispatchOnly || kind == Kind.SYNC && !quiet) && random.nextInt(100) < 25
                ? (random.nextBoolean() ? Type.RUNTIME : Type.CHECKED) : null;
        if (streamEnds) {
            body = null;
        }
        return new FaultPlan(id, kind, special, List.copyOf(first), tx, body);
    }

    private static @Nullable Type hookFault(Random random) {
        return (random.nextInt(100) < 40) ? Type.values()[random.nextInt(3)] : null;
    }

}
