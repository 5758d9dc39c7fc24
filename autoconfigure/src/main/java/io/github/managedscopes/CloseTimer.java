package io.github.managedscopes;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon thread that times asynchronous closes, started on first use. It only
 * schedules: a time-out that passes is handed to the common pool, so that the unwind it
 * resumes never holds up other time-outs.
 */
final class CloseTimer {

    private CloseTimer() {
    }

    static Future<?> schedule(Runnable onTimeout, long nanos) {
        return Holder.TIMER.schedule(() -> ForkJoinPool.commonPool().execute(onTimeout), nanos, TimeUnit.NANOSECONDS);
    }

    private static final class Holder {

        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
                Thread thread = new Thread(task, "managed-scopes-close-timer");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }

    }

}
