package io.github.managedscopes.reliability;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/**
 * The exceptions the reliability suite injects. Each carries a unique message,
 * {@code rq<request id>/<site>}, so that wherever it ends up (thrown, attached as suppressed,
 * counted by a listener, logged) it can be charged back to the request and the site that
 * threw it.
 */
public final class Faults {

    private Faults() {
    }

    /** What every injected exception implements. */
    public interface Injected {

    }

    /** The kinds of exception a fault can throw. */
    public enum Type {

        /** A checked exception. */
        CHECKED,

        /** A RuntimeException. */
        RUNTIME,

        /** An Error that is not a VirtualMachineError. */
        ERROR,

        /** A RuntimeException that {@code @ManagedResource(suppress = ...)} swallows at close. */
        SWALLOWED,

        /** An InterruptedException (bad input only: the random plans never throw it). */
        INTERRUPTED

    }

    static final class InjectedCheckedException extends Exception implements Injected {

        InjectedCheckedException(String message) {
            super(message);
        }

    }

    static final class InjectedRuntimeException extends RuntimeException implements Injected {

        InjectedRuntimeException(String message) {
            super(message);
        }

    }

    static final class InjectedError extends Error implements Injected {

        InjectedError(String message) {
            super(message);
        }

    }

    public static final class SwallowedCloseException extends RuntimeException implements Injected {

        SwallowedCloseException(String message) {
            super(message);
        }

    }

    static final class InjectedInterruptedException extends InterruptedException implements Injected {

        InjectedInterruptedException(String message) {
            super(message);
        }

    }

    public static Throwable create(Type type, long requestId, String site) {
        String message = "rq" + requestId + "/" + site;
        return switch (type) {
            case CHECKED -> new InjectedCheckedException(message);
            case RUNTIME -> new InjectedRuntimeException(message);
            case ERROR -> new InjectedError(message);
            case SWALLOWED -> new SwallowedCloseException(message);
            case INTERRUPTED -> new InjectedInterruptedException(message);
        };
    }

    /** The id of the request an injected exception was thrown for, or -1. */
    public static long requestId(Throwable exception) {
        String message = exception.getMessage();
        if (!(exception instanceof Injected) || message == null || !message.matches("rq\\d+/.*")) {
            return -1;
        }
        return Long.parseLong(message.substring(2, message.indexOf('/')));
    }

    public static String site(Throwable injected) {
        String message = injected.getMessage();
        return message.substring(message.indexOf('/') + 1);
    }

    /**
     * What a failure stands for: the site of the injected exception in its cause chain,
     * {@code timeout} for an asynchronous time-out, {@code io} for a disconnect, else the
     * class name.
     */
    public static String describe(@Nullable Throwable failure) {
        if (failure == null) {
            return "nothing";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Injected) {
                return site(cause);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AsyncRequestTimeoutException) {
                return "timeout";
            }
            if (cause instanceof java.util.concurrent.TimeoutException
                    && String.valueOf(cause.getMessage()).contains("managed-scopes.request.max-lifetime")) {
                return "deadline";
            }
            if (cause instanceof IOException) {
                return "io";
            }
        }
        return failure.getClass().getName();
    }

    /** Whether {@code exception} is {@code failure} or one of its causes. */
    public static boolean inCauseChain(@Nullable Throwable failure, Throwable exception) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause == exception) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    public static <E extends Throwable> E sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }

}
