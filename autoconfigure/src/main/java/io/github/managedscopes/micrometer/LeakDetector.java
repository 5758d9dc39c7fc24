package io.github.managedscopes.micrometer;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.managedscopes.jfr.ResourceLeakEvent;
import io.github.managedscopes.spring.RegisteredResource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports resources that stay open past a threshold, after HikariCP's {@code ProxyLeakTask}:
 * the registration site the {@code ScopeRegistry} captured when the resource was registered
 * is carried by the one WARN
 * when the threshold passes (and the resource counted as leaked), and one INFO if the
 * resource is closed later, and a {@code ResourceLeakEvent} for Java Flight Recorder. Off ({@link #OFF}), it watches nothing and allocates nothing.
 */
class LeakDetector implements AutoCloseable {

    /** Leak detection turned off. */
    static final LeakDetector OFF = new LeakDetector();

    private static final Logger logger = LoggerFactory.getLogger(LeakDetector.class);

    private LeakDetector() {
    }

    static LeakDetector of(Duration threshold) {
        return (threshold.isZero() || threshold.isNegative()) ? OFF : new Scheduled(threshold);
    }

    /**
     * Starts watching a resource being registered.
     * @param resource the resource
     * @param meters where to count it if it leaks
     * @return the watch to tell when the resource closes, or {@code null} when detection is off
     */
    @Nullable LeakWatch watch(RegisteredResource resource, ResourceMeters meters) {
        return null;
    }

    @Override
    public void close() {
    }

    /**
     * Leak detection on: one task per open resource, scheduled at the threshold on a single
     * daemon thread and cancelled (and removed) when the resource closes first.
     */
    private static final class Scheduled extends LeakDetector {

        private final Duration threshold;

        private final ScheduledThreadPoolExecutor executor;

        Scheduled(Duration threshold) {
            this.threshold = threshold;
            this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
                Thread thread = new Thread(task, "managed-scopes-leak-detector");
                thread.setDaemon(true);
                return thread;
            });
            this.executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        LeakWatch watch(RegisteredResource resource, ResourceMeters meters) {
            Watch watch = new Watch(resource, meters, this.threshold);
            watch.future = this.executor.schedule(watch, this.threshold.toNanos(), TimeUnit.NANOSECONDS);
            return watch;
        }

        @Override
        public void close() {
            this.executor.shutdownNow();
        }

    }

    private static final class Watch implements LeakWatch, Runnable {

        private static final int OPEN = 0;

        private static final int REPORTED = 1;

        private static final int DONE = 2;

        private final RegisteredResource resource;

        private final ResourceMeters meters;

        private final Duration threshold;

        private final AtomicInteger state = new AtomicInteger(OPEN);

        volatile @Nullable ScheduledFuture<?> future;

        Watch(RegisteredResource resource, ResourceMeters meters, Duration threshold) {
            this.resource = resource;
            this.meters = meters;
            this.threshold = threshold;
        }

        @Override
        public ResourceMeters meters() {
            return this.meters;
        }

        @Override
        public void run() {
            if (this.state.compareAndSet(OPEN, REPORTED)) {
                ResourceLeakEvent.report(this.resource.name(), ManagedScopesMeters.THRESHOLD,
                        System.nanoTime() - this.resource.openedAtNanos(), this.resource.thread(), this.resource.site());
                this.meters.threshold.increment();
                logger.warn("Resource '{}' registered on thread '{}' has been open for more than {} "
                        + "(managed-scopes.leak-detection.threshold); it may have leaked. Registered at:",
                        this.resource.name(), this.resource.thread(), this.threshold, this.resource.site());
            }
        }

        @Override
        public void closed() {
            if (this.state.compareAndSet(OPEN, DONE)) {
                cancel();
            }
            else if (this.state.compareAndSet(REPORTED, DONE)) {
                logger.info("Resource '{}' reported as leaked earlier was closed after {} ms", this.resource.name(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.resource.openedAtNanos()));
            }
        }

        @Override
        public void abandoned() {
            this.state.set(DONE);
            cancel();
        }

        private void cancel() {
            ScheduledFuture<?> scheduled = this.future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

    }

}
