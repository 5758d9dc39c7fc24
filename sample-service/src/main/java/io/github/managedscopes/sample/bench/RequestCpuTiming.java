package io.github.managedscopes.sample.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CPU time each {@code /bench} request costs the thread that handles it, from the moment
 * the container hands it to the application to the moment it is done with it (every filter,
 * the starter's scope included), summed per path: what the load harness reads when it sends
 * {@code /bench/plain} and {@code /bench/managed} interleaved, one request of each in turn, so
 * that both see the same machine at the same moments. Present only with
 * {@code sample.bench.cpu-timing=true}, and measuring only requests that begin between
 * {@code POST /bench/cpu/start} and {@code POST /bench/cpu/stop}; {@code GET /bench/cpu} reads.
 */
@RestController
@RequestMapping("/bench/cpu")
@ConditionalOnBooleanProperty("sample.bench.cpu-timing")
class RequestCpuTiming implements ServletRequestListener {

    private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private static final String PREFIX = "/bench/";

    /** When the thread's request started, in its CPU time, or -1 if it is not measured. */
    private final ThreadLocal<long[]> started = ThreadLocal.withInitial(() -> new long[] { -1 });

    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    private volatile boolean measuring;

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        this.started.get()[0] = this.measuring ? threads.getCurrentThreadCpuTime() : -1;
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        long[] started = this.started.get();
        long start = started[0];
        started[0] = -1;
        if (start >= 0 && event.getServletRequest() instanceof HttpServletRequest request) {
            long nanos = threads.getCurrentThreadCpuTime() - start;
            String path = request.getRequestURI();
            if (path.startsWith(PREFIX) && !path.startsWith(PREFIX + "cpu")) {
                Totals totals = this.totals.computeIfAbsent(path, (key) -> new Totals());
                totals.requests.increment();
                totals.nanos.add(nanos);
            }
        }
    }

    /**
     * Forgets what was measured and starts measuring.
     * @return what it says
     */
    @PostMapping("/start")
    String start() {
        this.measuring = false;
        this.totals.clear();
        this.measuring = true;
        return "measuring\n";
    }

    /**
     * Stops measuring. A request counts if it began while measuring; one that is finishing
     * may still be added after this returns (its response is sent before its thread is done).
     * @return {@link #report()}
     */
    @PostMapping("/stop")
    String stop() {
        this.measuring = false;
        return report();
    }

    /**
     * What was measured so far.
     * @return a line per path: the path, its requests and their CPU time in nanoseconds
     */
    @GetMapping
    String report() {
        StringBuilder report = new StringBuilder();
        new TreeMap<>(this.totals).forEach((path, totals) -> report.append(path)
            .append(' ')
            .append(totals.requests.sum())
            .append(' ')
            .append(totals.nanos.sum())
            .append('\n'));
        return report.toString();
    }

    /** The requests of one path and their CPU time. */
    private static final class Totals {

        final LongAdder requests = new LongAdder();

        final LongAdder nanos = new LongAdder();

    }

}
