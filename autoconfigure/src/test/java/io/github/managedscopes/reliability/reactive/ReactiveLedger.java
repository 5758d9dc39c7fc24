package io.github.managedscopes.reliability.reactive;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.github.managedscopes.ExitStackListener;
import io.github.managedscopes.SuppressionReason;
import io.github.managedscopes.reliability.Faults;
import io.github.managedscopes.spring.OpenScopeListener;
import io.github.managedscopes.spring.ScopeEnding;
import io.github.managedscopes.spring.ScopeListener;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the reactive variant: the record of every planned exchange in flight;
 * a {@link ScopeListener} and {@link ExitStackListener} (a bean, so it hears what the metrics
 * hear) that charges each suppressed exception to its request by its message and learns when
 * each scope ended; and an appender on the exchange scope's logger (and on Reactor's, for
 * dropped errors) that charges what they log. Records are removed once checked.
 */
final class ReactiveLedger implements ExitStackListener, ScopeListener {

    /** The logger of the exchange scope, which logs what its unwind could not hand to anybody. */
    static final String SCOPE_LOGGER = "io.github.managedscopes.spring.reactive.ExchangeScope";

    private static final String DROPPED_LOGGER = "reactor.core.publisher.Operators";

    private static final String APPENDER = "reactive-reliability-ledger";

    private static final ThreadLocal<@Nullable ScopeProbe> OPENED = new ThreadLocal<>();

    private final Map<Long, ReactiveRecord> records = new ConcurrentHashMap<>();

    /** Events that could not be charged to a planned request. */
    final List<String> strays = new CopyOnWriteArrayList<>();

    final Map<SuppressionReason, LongAdder> suppressedByReason = new EnumMap<>(SuppressionReason.class);

    ReactiveLedger() {
        for (SuppressionReason reason : SuppressionReason.values()) {
            this.suppressedByReason.put(reason, new LongAdder());
        }
    }

    @PostConstruct
    void captureLogs() {
        for (String name : List.of(SCOPE_LOGGER, DROPPED_LOGGER)) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    if (event.getThrowableProxy() instanceof ThrowableProxy proxy) {
                        logged(event.getLoggerName(), event.getLevel(), proxy.getThrowable());
                    }
                    else if (event.getLoggerName().equals(DROPPED_LOGGER)) {
                        ReactiveLedger.this.strays.add("Reactor: " + event.getFormattedMessage());
                    }
                }
            };
            appender.setName(APPENDER);
            appender.setContext(logger.getLoggerContext());
            appender.start();
            logger.detachAppender(APPENDER);
            logger.addAppender(appender);
        }
    }

    @PreDestroy
    void stopCapturing() {
        for (String name : List.of(SCOPE_LOGGER, DROPPED_LOGGER)) {
            ((Logger) LoggerFactory.getLogger(name)).detachAppender(APPENDER);
        }
    }

    ReactiveRecord open(ReactivePlan plan) {
        ReactiveRecord record = new ReactiveRecord(plan);
        if (this.records.putIfAbsent(plan.id(), record) != null) {
            throw new IllegalStateException("request id " + plan.id() + " used twice");
        }
        return record;
    }

    @Nullable ReactiveRecord get(long id) {
        return this.records.get(id);
    }

    ReactiveRecord awaitSettled(long id, Duration timeout) throws InterruptedException {
        ReactiveRecord record = this.records.get(id);
        if (record == null) {
            throw new AssertionError("request " + id + " never reached the server");
        }
        if (!record.settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the scope of request " + id + " did not end within " + timeout + ": "
                    + record.plan.encode());
        }
        return record;
    }

    void remove(long id) {
        this.records.remove(id);
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
        ReactiveRecord record = this.records.get(Faults.requestId(exception));
        if (record == null) {
            this.strays.add("suppressed " + reason + " by " + name + ": " + exception);
            return;
        }
        record.suppressed.add(new ReactiveRecord.Suppression(exception, reason));
    }

    private void logged(String logger, Level level, Throwable failure) {
        ReactiveRecord record = null;
        for (Throwable cause = failure; cause != null && record == null; cause = cause.getCause()) {
            record = this.records.get(Faults.requestId(cause));
        }
        if (record == null || logger.equals(DROPPED_LOGGER)) {
            this.strays.add(logger + " logged at " + level + ": " + failure);
            return;
        }
        if (level == Level.WARN) {
            record.warned.add(Faults.describe(failure));
            return;
        }
        if (record.logged != null) {
            record.problems.add("logged at " + level + " twice: " + record.logged + ", then " + failure);
        }
        record.logged = failure;
    }

    /**
     * What one exchange's scope reports to, attached to the record of its request by the
     * handler that opened it.
     */
    static final class ScopeProbe implements OpenScopeListener {

        private final ReactiveLedger ledger;

        volatile @Nullable ReactiveRecord record;

        ScopeProbe(ReactiveLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void exceptionSuppressed(String name, Throwable exception, SuppressionReason reason) {
            this.ledger.exceptionSuppressed(name, exception, reason);
        }

        @Override
        public void scopeEnded(String kind, long durationNanos, boolean failed, ScopeEnding ending) {
            ReactiveRecord attached = this.record;
            if (attached == null) {
                this.ledger.strays.add("a scope ended that no planned request had opened (" + ending + ")");
                return;
            }
            attached.scopeEnded(ending);
        }

    }

}
