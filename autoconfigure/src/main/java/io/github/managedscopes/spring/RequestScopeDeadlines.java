package io.github.managedscopes.spring;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * The last safety net of request scopes: each scope that outlives its first dispatch gets a
 * deadline, {@code managed-scopes.request.max-lifetime} after it opened, on one shared timer
 * thread (started on first use); when it passes before any other end signal, the scope is
 * unwound with a failure saying so. A request that never opens a scope, or ends within its
 * dispatch, never touches the timer.
 */
public final class RequestScopeDeadlines implements DisposableBean {

    /** The property that sets the maximum lifetime, named in the failure a deadline unwinds with. */
    public static final String PROPERTY = "managed-scopes.request.max-lifetime";

    private final long maxLifetimeNanos;

    private final Duration maxLifetime;

    private volatile @Nullable ScheduledThreadPoolExecutor timer;

    /**
     * Creates the deadlines.
     * @param maxLifetime how long a request scope may stay open; zero or negative turns the
     * deadline off
     */
    public RequestScopeDeadlines(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
        this.maxLifetimeNanos = maxLifetime.isNegative() ? 0 : maxLifetime.toNanos();
    }

    /**
     * Deadlines that never pass.
     * @return the deadlines
     */
    public static RequestScopeDeadlines none() {
        return new RequestScopeDeadlines(Duration.ZERO);
    }

    /**
     * The configured maximum lifetime.
     * @return the duration (zero: off)
     */
    public Duration maxLifetime() {
        return this.maxLifetime;
    }

    /**
     * Runs {@code expiry} when the maximum lifetime of a scope opened at {@code openedAt} passes.
     * @return the scheduled expiry, to cancel when the scope ends first; {@code null} if off
     */
    @Nullable ScheduledFuture<?> schedule(long openedAt, Runnable expiry) {
        if (this.maxLifetimeNanos == 0) {
            return null;
        }
        long delay = Math.max(0, this.maxLifetimeNanos - (System.nanoTime() - openedAt));
        return timer().schedule(expiry, delay, TimeUnit.NANOSECONDS);
    }

    private ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = this.timer;
        if (timer == null) {
            synchronized (this) {
                timer = this.timer;
                if (timer == null) {
                    timer = new ScheduledThreadPoolExecutor(1, (task) -> {
                        Thread thread = new Thread(task, "managed-scopes-deadlines");
                        thread.setDaemon(true);
                        return thread;
                    });
                    timer.setRemoveOnCancelPolicy(true);
                    this.timer = timer;
                }
            }
        }
        return timer;
    }

    @Override
    public void destroy() {
        ScheduledThreadPoolExecutor timer = this.timer;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

}
