package io.github.managedscopes.reliability;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeListener;
import jakarta.annotation.PostConstruct;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the suite: the record of every planned request in flight, and an
 * {@link ExitStackListener} and {@link ScopeListener} (a bean, so it hears what the metrics hear) that charges each
 * suppressed exception to its request by its message. It also captures what
 * a scope logs (through UnwindLog) at ERROR (a close failure of an asynchronous request after its
 * response, which nothing can take any more). Records are removed once checked, so its size
 * stays flat however long the run.
 */
final class Ledger implements ExitStackListener, ScopeListener {

    private static final ThreadLocal<@Nullable ScopeProbe> OPENED = new ThreadLocal<>();

    private final Map<Long, RequestRecord> records = new ConcurrentHashMap<>();

    /** Events that could not be charged to a planned request. */
    final List<String> strays = new CopyOnWriteArrayList<>();

    final Map<SuppressionReason, LongAdder> suppressedByReason = new EnumMap<>(SuppressionReason.class);

    final LongAdder lateRegistrations = new LongAdder();

    Ledger() {
        for (SuppressionReason reason : SuppressionReason.values()) {
            this.suppressedByReason.put(reason, new LongAdder());
        }
    }

    @PostConstruct
    void captureScopeErrors() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.github.managedscopes.spring.UnwindLog");
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getThrowableProxy() instanceof ThrowableProxy proxy) {
                    logged(proxy.getThrowable());
                }
            }
        };
        appender.setName("reliability-ledger");
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.detachAppender("reliability-ledger");
        logger.addAppender(appender);
    }

    RequestRecord open(FaultPlan plan) {
        RequestRecord record = new RequestRecord(plan);
        if (this.records.putIfAbsent(plan.id(), record) != null) {
            throw new IllegalStateException("request id " + plan.id() + " used twice");
        }
        return record;
    }

    @Nullable RequestRecord get(long id) {
        return this.records.get(id);
    }

    RequestRecord awaitSettled(long id, Duration timeout) throws InterruptedException {
        RequestRecord record = this.records.get(id);
        if (record == null) {
            throw new AssertionError("request " + id + " never reached the server");
        }
        if (!record.settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("request " + id + " did not complete within " + timeout + ": " + record.plan);
        }
        return record;
    }

    void remove(long id) {
        this.records.remove(id);
    }

    int inFlight() {
        return this.records.size();
    }

    /** The probe of the scope the current thread opened last, which the handler attaches to its record. */
    static @Nullable ScopeProbe takeOpenedScope() {
        ScopeProbe probe = OPENED.get();
        OPENED.remove();
        return probe;
    }

    @Override
    public OpenScopeListener scopeOpened(String kind) {
        ScopeProbe probe = new ScopeProbe(this);
        OPENED.set(probe);
        return probe;
    }

    @Override
    public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
        this.suppressedByReason.get(reason).increment();
        RequestRecord record = this.records.get(Faults.requestId(exception));
        if (record == null) {
            this.strays.add("suppressed " + reason + " by " + name + ": " + exception);
            return;
        }
        record.suppressed.add(new RequestRecord.Suppression(exception, reason));
    }

    @Override
    public void lateRegistration(String name) {
        this.lateRegistrations.increment();
    }

    void logged(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            RequestRecord record = this.records.get(Faults.requestId(cause));
            if (record != null) {
                if (record.logged != null) {
                    record.problems.add("logged twice: " + failure);
                }
                record.logged = failure;
                return;
            }
        }
        this.strays.add("logged: " + failure);
    }

    /**
     * What one scope reports to, attached to the record of the request that opened it.
     */
    static final class ScopeProbe implements OpenScopeListener {

        private final Ledger ledger;

        volatile @Nullable RequestRecord record;

        ScopeProbe(Ledger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
            this.ledger.exceptionSuppressed(name, exception, reason);
        }

        @Override
        public void lateRegistration(String name) {
            this.ledger.lateRegistration(name);
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            RequestRecord attached = this.record;
            if (attached != null) {
                attached.scopesClosed.incrementAndGet();
            }
        }

    }

}
