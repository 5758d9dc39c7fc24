package io.github.managedscopes.reliability.reactive;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.reliability.Faults.Type;
import io.github.managedscopes.spring.ScopeEnding;
import org.jspecify.annotations.Nullable;

/**
 * What the server observed while it served one planned exchange: each resource's open, the
 * start and the end of its close (sequence numbers), every injected exception, what each
 * exit was handed, what the error handler saw, what the exchange's scope logged and reported
 * as suppressed, and how the scope ended. Written by the application, read by
 * {@link ReactiveExpectation} once the scope has ended ({@link #settled}).
 */
final class ReactiveRecord {

    final ReactivePlan plan;

    final CountDownLatch settled = new CountDownLatch(1);

    private final AtomicInteger sequence = new AtomicInteger();

    /** Sequence number at which each resource was opened, 0 if it never was. */
    final AtomicIntegerArray openedAt;

    /** Sequence number at which each resource's close started. */
    final AtomicIntegerArray closeStartedAt;

    /** Sequence number at which each resource's close completed (its stage, for an asynchronous one). */
    final AtomicIntegerArray closeDoneAt;

    final AtomicIntegerArray closes;

    /** Every exception injected, by site. */
    final Map<String, Throwable> thrown = new ConcurrentHashMap<>();

    /** What the exit of each context-manager resource was handed. */
    final Map<Integer, String> contextSaw = new ConcurrentHashMap<>();

    final List<Suppression> suppressed = new CopyOnWriteArrayList<>();

    /** The sites of what the scope logged at WARN: close failures it attached to the failure in flight. */
    final List<String> warned = new CopyOnWriteArrayList<>();

    final List<String> problems = new CopyOnWriteArrayList<>();

    final AtomicInteger exitRuns = new AtomicInteger();

    final AtomicInteger scopesEnded = new AtomicInteger();

    final AtomicInteger handlerRuns = new AtomicInteger();

    /** Elements a stream's producer emitted after a resource had started closing. */
    final AtomicInteger producedAfterClose = new AtomicInteger();

    volatile @Nullable Throwable exitSaw;

    volatile @Nullable Throwable handlerSaw;

    /** What the scope logged at ERROR: a close failure with nothing in flight. */
    volatile @Nullable Throwable logged;

    volatile @Nullable ScopeEnding endedBy;

    /** When the scope ended ({@link System#nanoTime()}). */
    volatile long scopeEndedAt;

    /** When the client hung up ({@link System#nanoTime()}), for disconnect plans. */
    volatile long hungUpAt;

    ReactiveRecord(ReactivePlan plan) {
        int count = plan.resources().size();
        this.plan = plan;
        this.openedAt = new AtomicIntegerArray(count);
        this.closeStartedAt = new AtomicIntegerArray(count);
        this.closeDoneAt = new AtomicIntegerArray(count);
        this.closes = new AtomicIntegerArray(count);
    }

    /** Creates an injected exception and remembers it by site. */
    Throwable inject(Type type, String site) {
        Throwable exception = Faults.create(type, this.plan.id(), site);
        if (this.thrown.putIfAbsent(site, exception) != null) {
            this.problems.add("site " + site + " threw twice");
        }
        return exception;
    }

    /** The planned fault of {@code site}, created now, or {@code null}. */
    @Nullable Throwable fault(@Nullable Type type, String site) {
        return (type != null) ? inject(type, site) : null;
    }

    /** Throws the planned enter fault of a resource, if any. */
    void entering(int index) {
        Throwable fault = fault(this.plan.resources().get(index).enterFault(), "enter#" + index);
        if (fault != null) {
            throw Faults.<RuntimeException>sneakyThrow(fault);
        }
    }

    void opened(int index) {
        this.openedAt.set(index, this.sequence.incrementAndGet());
    }

    void closeStarted(int index) {
        this.closes.incrementAndGet(index);
        this.closeStartedAt.set(index, this.sequence.incrementAndGet());
    }

    /**
     * A resource's close completes.
     * @return the planned close fault, created now, or {@code null}
     */
    @Nullable Throwable closeDone(int index) {
        this.closeDoneAt.set(index, this.sequence.incrementAndGet());
        return fault(this.plan.resources().get(index).closeFault(), "close#" + index);
    }

    void exitSaw(@Nullable Throwable failure) {
        this.exitRuns.incrementAndGet();
        this.exitSaw = failure;
    }

    void handlerSaw(Throwable failure) {
        if (this.handlerRuns.incrementAndGet() > 1) {
            this.problems.add("the error handlers ran twice: " + this.handlerSaw + ", then " + failure);
        }
        this.handlerSaw = failure;
    }

    /** The exchange's scope has unwound, on {@code ending}. */
    void scopeEnded(ScopeEnding ending) {
        this.endedBy = ending;
        this.scopeEndedAt = System.nanoTime();
        this.scopesEnded.incrementAndGet();
        this.settled.countDown();
    }

    /**
     * A running producer is about to emit an element: counts it if a resource has started
     * closing already. Reactor does not wait for an element in flight when a subscriber
     * cancels, so after a hang-up the unwind may overlap the producer's last element; the
     * figures show how often.
     */
    void producing() {
        for (int index = 0; index < this.closes.length(); index++) {
            if (this.closes.get(index) > 0) {
                this.producedAfterClose.incrementAndGet();
                return;
            }
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
