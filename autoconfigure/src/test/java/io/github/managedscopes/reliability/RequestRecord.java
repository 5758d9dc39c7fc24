package io.github.managedscopes.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.github.managedscopes.ExitStack;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Faults.Type;
import io.github.managedscopes.spring.RequestScopeEnd;
import org.jspecify.annotations.Nullable;

/**
 * What the server observed while it served one planned request: the resources it opened and
 * closed (with a sequence number each), every exception it injected, what the outermost exit,
 * the error handler, the outermost filter, the listener and the log saw. Written by the
 * application, read by {@link Expectation} once the request has {@linkplain #settled settled}.
 */
final class RequestRecord {

    final FaultPlan plan;

    final CountDownLatch settled = new CountDownLatch(1);

    private final AtomicInteger sequence = new AtomicInteger();

    /** Sequence number at which each resource was opened, 0 if it never was. */
    final AtomicIntegerArray openedAt;

    final AtomicIntegerArray closedAt;

    final AtomicIntegerArray closes;

    final AtomicIntegerArray enterAttempts;

    /** Every exception injected, by site. */
    final Map<String, Throwable> thrown = new ConcurrentHashMap<>();

    /** What the exit of each context-manager resource was handed. */
    final Map<Integer, String> contextSaw = new ConcurrentHashMap<>();

    final List<Suppression> suppressed = new CopyOnWriteArrayList<>();

    final List<String> problems = new CopyOnWriteArrayList<>();

    final AtomicInteger exitRuns = new AtomicInteger();

    volatile @Nullable Throwable exitSaw;

    volatile @Nullable Throwable adviceSaw;

    volatile @Nullable Throwable filterSaw;

    volatile @Nullable Throwable logged;

    final AtomicInteger scopesClosed = new AtomicInteger();

    volatile @Nullable RequestScopeEnd endedBy;

    /** When the scope unwound ({@link System#nanoTime()}). */
    volatile long scopeEndedAt;

    /** When the client hung up ({@link System#nanoTime()}), for disconnect plans. */
    volatile long hungUpAt;

    private volatile boolean requestDone;

    private volatile boolean scopeDone;

    final AtomicInteger rollbackHookRuns = new AtomicInteger();

    final AtomicInteger commitHookRuns = new AtomicInteger();

    volatile @Nullable ExitStack captured;

    volatile @Nullable IllegalStateException lateRefusal;

    final AtomicInteger lateCloses = new AtomicInteger();

    volatile boolean interruptedAfterwards;

    RequestRecord(FaultPlan plan) {
        int count = plan.resources().size();
        this.plan = plan;
        this.openedAt = new AtomicIntegerArray(count);
        this.closedAt = new AtomicIntegerArray(count);
        this.closes = new AtomicIntegerArray(count);
        this.enterAttempts = new AtomicIntegerArray(count);
    }

    /** Creates an injected exception and remembers it by site. */
    Throwable inject(Type type, String site) {
        Throwable exception = Faults.create(type, this.plan.id(), site);
        if (this.thrown.putIfAbsent(site, exception) != null) {
            this.problems.add("site " + site + " threw twice");
        }
        return exception;
    }

    /** Throws the planned fault of {@code site}, if any. */
    void maybeThrow(@Nullable Type type, String site) {
        if (type != null) {
            throw Faults.<RuntimeException>sneakyThrow(inject(type, site));
        }
    }

    void entering(int index) {
        this.enterAttempts.incrementAndGet(index);
        maybeThrow(this.plan.resources().get(index).enterFault(), "enter#" + index);
    }

    void opened(int index) {
        this.openedAt.set(index, this.sequence.incrementAndGet());
    }

    /** A resource closes: counts it, then throws its planned close fault. */
    void close(int index) {
        this.closes.incrementAndGet(index);
        this.closedAt.set(index, this.sequence.incrementAndGet());
        maybeThrow(this.plan.resources().get(index).closeFault(), "close#" + index);
    }

    void exitSaw(@Nullable Throwable failure) {
        this.exitRuns.incrementAndGet();
        this.exitSaw = failure;
    }

    /** The request is complete for the container (its filter returned, or its async processing completed). */
    void settle() {
        this.requestDone = true;
        settleIfDone();
    }

    /** The request's scope has unwound (and logged what it logs) on {@code signal}. */
    void scopeEnded(RequestScopeEnd signal) {
        this.endedBy = signal;
        this.scopeEndedAt = System.nanoTime();
        this.scopeDone = true;
        settleIfDone();
    }

    /**
     * Settled once the scope has unwound (never, for a scope abandoned on purpose) and the
     * container completed the request; after a hang-up, the container's completion is what
     * Tomcat may lose (see RELIABILITY.md), so the scope's end alone settles it.
     */
    private void settleIfDone() {
        FaultPlan.Special special = this.plan.special();
        if ((this.scopeDone || special == FaultPlan.Special.ABANDON)
                && (this.requestDone || special == FaultPlan.Special.DISCONNECT
                        || special == FaultPlan.Special.STUCK)) {
            this.settled.countDown();
        }
    }

    /**
     * An exception reported to the listener as not propagated.
     * @param exception the exception
     * @param reason why
     */
    record Suppression(Throwable exception, SuppressionReason reason) {
    }

}
