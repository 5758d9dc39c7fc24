package io.github.managedscopes;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntBinaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * An asynchronous entry of an {@link AsyncUnwind} whose stage was not complete when it was
 * started. Its stage's completion and its time-out race to decide how it ended; whichever
 * decides first settles it, and resumes the unwind if the unwinding thread has already
 * returned. What comes second is too late: a failure then is reported to the listener and
 * attached to the time-out, never thrown.
 */
final class AsyncStep extends AtomicInteger implements BiConsumer<Object, Throwable>, Runnable {

    private static final long serialVersionUID = 1L;

    /** The unwinding thread has returned: whoever decides resumes the unwind. */
    private static final int SUBSCRIBED = 1;

    /** The stage's completion or the time-out won the race; value and thrown are being written. */
    private static final int CLAIMED = 2;

    /** Value and thrown are written. */
    private static final int DECIDED = 4;

    private static final IntBinaryOperator OR = (state, bit) -> state | bit;

    private final transient AsyncUnwind unwind;

    private final transient Object entry;

    private final int kind;

    private final @Nullable String name;

    private final transient @Nullable Object token;

    private transient @Nullable Object value;

    private transient @Nullable Throwable thrown;

    private transient @Nullable Future<?> timer;

    private long timeoutNanos;

    AsyncStep(AsyncUnwind unwind, Object entry, int kind, @Nullable String name, @Nullable Object token) {
        this.unwind = unwind;
        this.entry = entry;
        this.kind = kind;
        this.name = name;
        this.token = token;
    }

    /**
     * Waits for {@code stage} without blocking.
     * @return {@code true} if it was decided already and the caller goes on with
     * {@link #settle()}; {@code false} if whoever decides will resume the unwind
     */
    boolean await(CompletionStage<?> stage, long timeoutNanos) {
        if (timeoutNanos > 0 && this.kind != EntrySlots.ASYNC_STACK) {
            this.timeoutNanos = timeoutNanos;
            this.timer = CloseTimer.schedule(this, timeoutNanos);
        }
        stage.whenComplete(this);
        return (getAndAccumulate(SUBSCRIBED, OR) & DECIDED) != 0;
    }

    /** Settles the entry with how it was decided. */
    void settle() {
        this.unwind.settle(this.entry, this.kind, this.name, this.token, this.value, this.thrown);
    }

    /** The stage completed. */
    @Override
    public void accept(@Nullable Object result, @Nullable Throwable failure) {
        Throwable unwrapped = (failure != null) ? Failures.unwrap(failure) : null;
        if (!decide(result, unwrapped)) {
            if (unwrapped != null) {
                reportLate(unwrapped);
            }
            return;
        }
        Future<?> pendingTimer = this.timer;
        if (pendingTimer != null) {
            pendingTimer.cancel(false);
        }
    }

    /** The time-out passed (on a pool thread, not the timer's). */
    @Override
    public void run() {
        TimeoutException timeout = new TimeoutException("'" + ((this.name != null) ? this.name
                : EntryNames.of(this.entry)) + "' did not complete its " + AsyncEntries.method(this.kind)
                + " within " + Duration.ofNanos(this.timeoutNanos) + "; the unwind went on without waiting for it");
        timeout.setStackTrace(new StackTraceElement[0]);
        decide(null, timeout);
    }

    private boolean decide(@Nullable Object result, @Nullable Throwable failure) {
        int state;
        do {
            state = get();
            if ((state & CLAIMED) != 0) {
                return false;
            }
        }
        while (!compareAndSet(state, state | CLAIMED));
        this.value = result;
        this.thrown = failure;
        if ((getAndAccumulate(DECIDED, OR) & SUBSCRIBED) != 0) {
            settle();
            this.unwind.resume();
        }
        return true;
    }

    private void reportLate(Throwable failure) {
        // The time-out claimed the step and may not have written it yet: wait for that.
        while ((get() & DECIDED) == 0) {
            Thread.onSpinWait();
        }
        Throwable timeout = this.thrown;
        if (timeout == null || failure == timeout) {
            return;
        }
        timeout.addSuppressed(failure);
        try {
            this.unwind.listener().exceptionSuppressed((this.name != null) ? this.name : EntryNames.of(this.entry),
                    failure, SuppressionReason.CLOSE_DURING_FAILURE);
        }
        catch (Throwable ex) {
            timeout.addSuppressed(ex);
        }
    }

}
