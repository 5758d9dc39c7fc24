package io.github.managedscopes;

import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Closes what was opened in it, last-in first-out, exactly once, whatever failed: Python's
 * {@code contextlib.ExitStack} with the guarantees of nested try-with-resources blocks.
 * <p>
 * Unwinding a stack behaves exactly like the equivalent nested try-with-resources blocks,
 * the first entry being the outermost: every entry runs once in reverse order, even when
 * others throw; the failure in flight stays primary and later failures are added to it with
 * {@link Throwable#addSuppressed}; an exit that returns {@code true} swallows the failure in
 * flight (never a {@link VirtualMachineError}), and its next outer entries see none. Nothing
 * is lost: every exception thrown during an unwind is reachable from what propagates, or was
 * swallowed by an exit and reported to the stack's {@link ExitStackListener}.
 * <p>
 * <strong>Threads.</strong> A stack is owned by the thread that created it, or by the one
 * that last unwound it. The owner registers with plain memory writes; any other thread may
 * register at any time through a synchronised path, and its entries unwind in the order
 * they were registered relative to the owner's. Another thread may unwind the stack once the
 * owner has handed it over (through an executor, a future, a lock: anything that orders the
 * owner's work before the unwind); that thread then owns the stack. A registration from
 * another thread racing an unwind either lands before its end and is closed by it, or lands
 * after it and waits for the next one; on a {@linkplain #forScope scope's stack} it is
 * refused once the scope has ended, and what it registered is closed at once.
 * <p>
 * A stack is reusable after it has been unwound, unless it belongs to a scope.
 */
public class ExitStack implements ContextManager<ExitStack>, AutoCloseable {

    private static final int CLOSE = 0;

    private static final int CONTEXT = 1;

    private static final int STACK = 2;

    private static final int PUSH = 3;

    private static final int CALLBACK = 4;

    private static final int ON_FAILURE = 5;

    private static final int ON_SUCCESS = 6;

    private static final int TRACKED = 7;

    private static final int OPEN = 0;

    private static final int UNWINDING = 1;

    private static final int SEALED = 2;

    /** Entries 0 to 7 live in fields, the rest in {@link #more}. */
    private static final int INLINE = 8;

    /** Kinds of entries 0 to 15 are packed four bits each in {@link #kinds}, the rest in {@link #moreKinds}. */
    private static final int PACKED = 16;

    private final ExitStackListener listener;

    private final @Nullable String scope;

    private Thread owner;

    /**
     * OPEN, UNWINDING or SEALED. The owner reads and writes it without synchronisation; other
     * threads only under the monitor. A change by another thread reaches the owner through
     * the hand-off that let that thread unwind.
     */
    private int state;

    private int size;

    private long kinds;

    private @Nullable Object e0;

    private @Nullable Object e1;

    private @Nullable Object e2;

    private @Nullable Object e3;

    private @Nullable Object e4;

    private @Nullable Object e5;

    private @Nullable Object e6;

    private @Nullable Object e7;

    private @Nullable Object @Nullable [] more;

    private byte @Nullable [] moreKinds;

    /**
     * Entries registered by other threads, written under the monitor. The owner's unwind loop
     * reads the reference without it, so one registered as the unwind ends may wait for the
     * next unwind; a scope's stack checks again under the monitor before it seals.
     */
    private @Nullable Shared shared;

    /** The kind of the entry {@link #nextEntry()} returned; used by the unwinding thread only. */
    private int nextKind;

    /** Whether the unwind in progress caught an InterruptedException that will not propagate. */
    private boolean interruptLost;

    /**
     * Creates an empty, reusable stack owned by the current thread, reporting to no listener.
     */
    public ExitStack() {
        this(ExitStackListener.NONE, null);
    }

    /**
     * Creates an empty, reusable stack owned by the current thread.
     * @param listener what to report registrations, closes and suppressed exceptions to
     */
    public ExitStack(ExitStackListener listener) {
        this(Objects.requireNonNull(listener, "'listener' must not be null"), null);
    }

    private ExitStack(ExitStackListener listener, @Nullable String scope) {
        this.listener = listener;
        this.scope = scope;
        this.owner = Thread.currentThread();
    }

    /**
     * Creates the stack of a scope: it unwinds once and is sealed afterwards. Registering on
     * a sealed stack throws {@link IllegalStateException} naming the scope, and what was
     * passed in is closed (or its callback run) at once, so nothing leaks.
     * @param scope a description of the scope, used in messages (for example "the request scope")
     * @param listener what to report to
     * @return a new stack owned by the current thread
     */
    public static ExitStack forScope(String scope, ExitStackListener listener) {
        Objects.requireNonNull(scope, "'scope' must not be null");
        Objects.requireNonNull(listener, "'listener' must not be null");
        return new ExitStack(listener, scope);
    }

    /**
     * Registers a resource to be closed when the stack unwinds.
     * @param resource the resource
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AutoCloseable> R register(R resource) {
        Objects.requireNonNull(resource, "'resource' must not be null");
        add(resource, CLOSE, null);
        return resource;
    }

    /**
     * Registers a resource to be closed when the stack unwinds, reported under a name.
     * @param resource the resource
     * @param name the name it is reported under (a metric tag value: keep it bounded)
     * @param <R> the type of the resource
     * @return {@code resource}
     */
    public <R extends AutoCloseable> R register(R resource, String name) {
        Objects.requireNonNull(resource, "'resource' must not be null");
        Objects.requireNonNull(name, "'name' must not be null");
        add(resource, CLOSE, name);
        return resource;
    }

    /**
     * Enters a context manager now and exits it when the stack unwinds, handing it the failure
     * in flight. An {@code ExitStack} entered this way composes exactly as if its entries had
     * been registered on this one.
     * @param manager the context manager
     * @param <T> the type of the entered value
     * @return what {@link ContextManager#enter()} returned
     * @throws Exception what entering threw; nothing is registered then
     */
    public <T extends @Nullable Object> T enterContext(ContextManager<T> manager) throws Exception {
        Objects.requireNonNull(manager, "'manager' must not be null");
        if (this.state == SEALED) {
            refuse(manager, CONTEXT, null, false);
        }
        T value = manager.enter();
        add(manager, (manager instanceof ExitStack) ? STACK : CONTEXT, null);
        return value;
    }

    /**
     * Registers a raw exit callback, which sees the failure in flight and may swallow it.
     * @param exit the callback
     * @return this stack
     */
    public ExitStack push(ExitCallback exit) {
        Objects.requireNonNull(exit, "'exit' must not be null");
        add(exit, PUSH, null);
        return this;
    }

    /**
     * Registers a cleanup that runs when the stack unwinds, whatever happened. It never
     * swallows the failure in flight.
     * @param cleanup the cleanup
     * @return this stack
     */
    public ExitStack callback(ThrowingRunnable cleanup) {
        Objects.requireNonNull(cleanup, "'cleanup' must not be null");
        add(cleanup, CALLBACK, null);
        return this;
    }

    /**
     * Registers a compensation that runs only if a failure is in flight at its turn of the
     * unwind, as a catch clause at that depth would (Zig's {@code errdefer}).
     * @param compensation the compensation
     * @return this stack
     */
    public ExitStack onFailure(ThrowingRunnable compensation) {
        Objects.requireNonNull(compensation, "'compensation' must not be null");
        add(compensation, ON_FAILURE, null);
        return this;
    }

    /**
     * Registers an action that runs only if no failure is in flight at its turn of the
     * unwind, as an else clause at that depth would.
     * @param action the action
     * @return this stack
     */
    public ExitStack onSuccess(ThrowingRunnable action) {
        Objects.requireNonNull(action, "'action' must not be null");
        add(action, ON_SUCCESS, null);
        return this;
    }

    /**
     * Moves every entry to a new stack, owned by the current thread, and leaves this one
     * empty: the way to hand what was opened here to a caller once everything succeeded.
     * @return a reusable stack holding the entries
     */
    public ExitStack popAll() {
        ExitStack moved = new ExitStack(this.listener, null);
        synchronized (this) {
            moved.size = this.size;
            moved.kinds = this.kinds;
            moved.e0 = this.e0;
            moved.e1 = this.e1;
            moved.e2 = this.e2;
            moved.e3 = this.e3;
            moved.e4 = this.e4;
            moved.e5 = this.e5;
            moved.e6 = this.e6;
            moved.e7 = this.e7;
            moved.more = this.more;
            moved.moreKinds = this.moreKinds;
            moved.shared = this.shared;
            this.size = 0;
            this.kinds = 0;
            this.e0 = null;
            this.e1 = null;
            this.e2 = null;
            this.e3 = null;
            this.e4 = null;
            this.e5 = null;
            this.e6 = null;
            this.e7 = null;
            this.more = null;
            this.moreKinds = null;
            this.shared = null;
        }
        return moved;
    }

    /**
     * The number of entries that would run if the stack unwound now.
     * @return the number of entries
     */
    public int size() {
        Shared sharedEntries = this.shared;
        if (sharedEntries == null) {
            return this.size;
        }
        synchronized (this) {
            return this.size + sharedEntries.count;
        }
    }

    /**
     * Returns this stack, so that it can be entered into another one.
     * @return this stack
     */
    @Override
    public ExitStack enter() {
        return this;
    }

    /**
     * Unwinds the stack with {@code failure} in flight. Never throws {@code failure} itself.
     * @param failure the failure in flight, or {@code null}
     * @return {@code true} if {@code failure} was swallowed and nothing new was thrown;
     * {@code false} if nothing failed, or if the caller must rethrow {@code failure} (which
     * may now carry suppressed close failures)
     * @throws Exception the new failure, when {@code failure} was {@code null} or swallowed and
     * an entry then failed, or when an entry threw a {@link VirtualMachineError}
     * @throws IllegalStateException if called from one of this stack's own entries, or while
     * another thread unwinds it; {@code failure}, if any, is added to it as suppressed
     */
    @Override
    public boolean exit(@Nullable Throwable failure) throws Exception {
        Throwable outcome = unwind(failure);
        if (outcome == null) {
            return failure != null;
        }
        if (outcome == failure) {
            return false;
        }
        throw ExitStack.<RuntimeException>sneakyThrow(outcome);
    }

    /**
     * Unwinds the stack with nothing in flight.
     * @throws UnwindException wrapping a checked exception an entry threw; runtime exceptions
     * and errors are thrown unchanged
     * @throws IllegalStateException if called from one of this stack's own entries
     */
    @Override
    public void close() {
        Throwable outcome = unwind(null);
        if (outcome == null) {
            return;
        }
        if (outcome instanceof RuntimeException runtimeException) {
            throw runtimeException;
        }
        if (outcome instanceof Error error) {
            throw error;
        }
        if (outcome instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        throw new UnwindException(outcome);
    }

    @Override
    public String toString() {
        return "ExitStack[" + ((this.scope != null) ? this.scope + ", " : "") + "size=" + size() + "]";
    }

    private void add(Object entry, int kind, @Nullable String name) {
        if (Thread.currentThread() == this.owner && this.state != SEALED) {
            if (this.listener == ExitStackListener.NONE || kind > STACK) {
                push(entry, kind);
            }
            else {
                push(track(entry, kind, name), TRACKED);
            }
            return;
        }
        addShared(entry, kind, name);
    }

    private void addShared(Object entry, int kind, @Nullable String name) {
        synchronized (this) {
            if (this.state != SEALED) {
                Object stored = entry;
                int storedKind = kind;
                if (this.listener != ExitStackListener.NONE && kind <= STACK) {
                    stored = track(entry, kind, name);
                    storedKind = TRACKED;
                }
                if (Thread.currentThread() == this.owner) {
                    push(stored, storedKind);
                    return;
                }
                Shared sharedEntries = this.shared;
                if (sharedEntries == null) {
                    sharedEntries = new Shared();
                    this.shared = sharedEntries;
                }
                sharedEntries.add(stored, storedKind, this.size);
                return;
            }
        }
        refuse(entry, kind, name, true);
    }

    private Tracked track(Object entry, int kind, @Nullable String name) {
        String reportedName = (name != null) ? name : EntryNames.of(entry);
        Object token;
        try {
            token = this.listener.resourceRegistered(reportedName);
        }
        catch (Throwable ex) {
            Throwable closeFailure = runAtOnce(entry, kind);
            if (closeFailure != null) {
                ex.addSuppressed(closeFailure);
            }
            throw ExitStack.<RuntimeException>sneakyThrow(ex);
        }
        return new Tracked(entry, kind, reportedName, token);
    }

    private void refuse(Object entry, int kind, @Nullable String name, boolean entered) {
        String reportedName = (name != null) ? name : EntryNames.of(entry);
        IllegalStateException error = new IllegalStateException("Cannot register '" + reportedName + "' on "
                + this.scope + ": the scope has ended and its stack was unwound"
                + (entered ? ", so it was closed at once" : ", so it was not entered")
                + ". Register resources while the scope is active, or keep the scope open until the work ends.");
        if (entered) {
            Throwable closeFailure = runAtOnce(entry, kind);
            if (closeFailure != null) {
                error.addSuppressed(closeFailure);
                if (closeFailure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            this.listener.lateRegistration(reportedName);
        }
        catch (Throwable ex) {
            error.addSuppressed(ex);
        }
        throw error;
    }

    private static @Nullable Throwable runAtOnce(Object entry, int kind) {
        try {
            switch (kind) {
                case CLOSE -> ((AutoCloseable) entry).close();
                case CONTEXT, STACK -> ((ContextManager<?>) entry).exit(null);
                case PUSH -> ((ExitCallback) entry).onExit(null);
                case CALLBACK -> ((ThrowingRunnable) entry).run();
                default -> {
                    // onFailure and onSuccess guard nothing that was acquired
                }
            }
            return null;
        }
        catch (Throwable ex) {
            return ex;
        }
    }

    private void push(Object entry, int kind) {
        int index = this.size;
        switch (index) {
            case 0 -> this.e0 = entry;
            case 1 -> this.e1 = entry;
            case 2 -> this.e2 = entry;
            case 3 -> this.e3 = entry;
            case 4 -> this.e4 = entry;
            case 5 -> this.e5 = entry;
            case 6 -> this.e6 = entry;
            case 7 -> this.e7 = entry;
            default -> pushMore(index, entry);
        }
        if (index < PACKED) {
            int shift = index << 2;
            this.kinds = (this.kinds & ~(0xFL << shift)) | ((long) kind << shift);
        }
        else {
            pushMoreKind(index, kind);
        }
        this.size = index + 1;
    }

    private void pushMore(int index, Object entry) {
        @Nullable Object[] array = this.more;
        int slot = index - INLINE;
        if (array == null) {
            array = new Object[8];
            this.more = array;
        }
        else if (slot == array.length) {
            array = Arrays.copyOf(array, array.length << 1);
            this.more = array;
        }
        array[slot] = entry;
    }

    private void pushMoreKind(int index, int kind) {
        byte[] array = this.moreKinds;
        int slot = index - PACKED;
        if (array == null) {
            array = new byte[16];
            this.moreKinds = array;
        }
        else if (slot == array.length) {
            array = Arrays.copyOf(array, array.length << 1);
            this.moreKinds = array;
        }
        array[slot] = (byte) kind;
    }

    // Indexes from PACKED on are used only after pushMoreKind allocated moreKinds.
    @SuppressWarnings("NullAway")
    private int kindAt(int index) {
        return (index < PACKED) ? (int) (this.kinds >>> (index << 2)) & 0xF : this.moreKinds[index - PACKED];
    }

    // Only indexes below size are taken, and each of their slots holds an entry (more is allocated
    // before any index from INLINE on is pushed).
    @SuppressWarnings("NullAway")
    private Object take(int index) {
        Object entry;
        switch (index) {
            case 0 -> {
                entry = this.e0;
                this.e0 = null;
            }
            case 1 -> {
                entry = this.e1;
                this.e1 = null;
            }
            case 2 -> {
                entry = this.e2;
                this.e2 = null;
            }
            case 3 -> {
                entry = this.e3;
                this.e3 = null;
            }
            case 4 -> {
                entry = this.e4;
                this.e4 = null;
            }
            case 5 -> {
                entry = this.e5;
                this.e5 = null;
            }
            case 6 -> {
                entry = this.e6;
                this.e6 = null;
            }
            case 7 -> {
                entry = this.e7;
                this.e7 = null;
            }
            default -> {
                @Nullable Object[] array = this.more;
                entry = array[index - INLINE];
                array[index - INLINE] = null;
            }
        }
        return entry;
    }

    /**
     * Unwinds the stack. The loop is kept small enough to be inlined into its callers: the
     * common step, closing an {@link AutoCloseable} with nothing failing, is done here, and
     * everything rarer (other kinds, failures, listeners, other threads' entries) out of line.
     */
    private @Nullable Throwable unwind(@Nullable Throwable failure) {
        if (!beginUnwind(failure)) {
            return failure;
        }
        Throwable pending = failure;
        for (;;) {
            Object entry;
            int kind;
            int index = this.size - 1;
            if (index >= 0 && this.shared == null) {
                kind = kindAt(index);
                entry = take(index);
                this.size = index;
            }
            else {
                entry = nextEntry();
                if (entry == null) {
                    if (finishUnwind()) {
                        return pending;
                    }
                    continue;
                }
                kind = this.nextKind;
            }
            if (kind != CLOSE) {
                pending = runEntry(entry, kind, pending);
            }
            else {
                // The handler only records: a call from it would make this stack escape,
                // which keeps the JIT from scalar-replacing it.
                Throwable thrown = null;
                try {
                    ((AutoCloseable) entry).close();
                }
                catch (Throwable ex) {
                    thrown = ex;
                }
                if (thrown != null) {
                    pending = failed(entry, null, thrown, pending, false);
                }
            }
        }
    }

    /**
     * The next entry to unwind when other threads registered some: the latest of theirs if
     * it was registered after the owner's remaining entries, else the owner's latest.
     * @return the entry, its kind in {@link #nextKind}, or {@code null} if none is left
     */
    private @Nullable Object nextEntry() {
        Shared sharedEntries = this.shared;
        if (sharedEntries != null) {
            synchronized (this) {
                Object entry = null;
                int last = sharedEntries.count - 1;
                if (last >= 0 && sharedEntries.positions[last] >= this.size) {
                    entry = sharedEntries.entries[last];
                    this.nextKind = sharedEntries.kinds[last];
                    sharedEntries.entries[last] = null;
                    sharedEntries.count = last;
                }
                if (sharedEntries.count == 0 && this.shared == sharedEntries) {
                    this.shared = null;
                }
                if (entry != null) {
                    return entry;
                }
            }
        }
        int index = this.size - 1;
        if (index < 0) {
            return null;
        }
        this.nextKind = kindAt(index);
        this.size = index;
        return take(index);
    }

    /**
     * Runs an entry of any kind but a plain close.
     * @return the failure in flight afterwards
     */
    private @Nullable Throwable runEntry(Object entry, int kind, @Nullable Throwable pending) {
        String name = null;
        Object token = null;
        if (kind == TRACKED) {
            Tracked tracked = (Tracked) entry;
            entry = tracked.entry;
            kind = tracked.kind;
            name = tracked.name;
            token = tracked.token;
        }
        boolean swallowed = false;
        Throwable thrown = null;
        try {
            switch (kind) {
                case CLOSE -> ((AutoCloseable) entry).close();
                case CONTEXT, STACK -> swallowed = ((ContextManager<?>) entry).exit(pending);
                case PUSH -> swallowed = ((ExitCallback) entry).onExit(pending);
                case CALLBACK -> ((ThrowingRunnable) entry).run();
                case ON_FAILURE -> {
                    if (pending != null) {
                        ((ThrowingRunnable) entry).run();
                    }
                }
                default -> {
                    if (pending == null) {
                        ((ThrowingRunnable) entry).run();
                    }
                }
            }
        }
        catch (Throwable ex) {
            thrown = ex;
        }
        // Only what an entered stack's own exit threw (having swallowed the failure in
        // flight) replaces that failure; a failure of the listener reporting the entry is
        // added to the failure in flight like any other entry's.
        boolean replaces = kind == STACK && (thrown != null || swallowed);
        if (name != null) {
            thrown = reportClosed(name, token, thrown);
        }
        if (thrown != null) {
            return failed(entry, name, thrown, pending, replaces);
        }
        if (swallowed && pending != null && !(pending instanceof VirtualMachineError)) {
            this.interruptLost |= pending instanceof InterruptedException;
            return (kind != STACK) ? reportSuppressed(entry, name, pending, SuppressionReason.SWALLOWED, null) : null;
        }
        return pending;
    }

    /**
     * An entry threw: keeps the failure in flight primary and attaches the new one, unless
     * nothing was in flight, the new one is a {@link VirtualMachineError}, or it comes from
     * an entered stack that swallowed the failure in flight.
     * @return the failure in flight afterwards
     */
    private @Nullable Throwable failed(Object entry, @Nullable String name, Throwable thrown,
            @Nullable Throwable pending, boolean replaces) {
        if (thrown == pending) {
            return pending;
        }
        if (pending == null || replaces) {
            return thrown;
        }
        if (thrown instanceof VirtualMachineError && !(pending instanceof VirtualMachineError)) {
            thrown.addSuppressed(pending);
            this.interruptLost |= pending instanceof InterruptedException;
            return (this.listener == ExitStackListener.NONE) ? thrown
                    : reportSuppressed(entry, name, pending, SuppressionReason.CLOSE_DURING_FAILURE, thrown);
        }
        pending.addSuppressed(thrown);
        this.interruptLost |= thrown instanceof InterruptedException;
        return (this.listener == ExitStackListener.NONE) ? pending
                : reportSuppressed(entry, name, thrown, SuppressionReason.CLOSE_DURING_FAILURE, pending);
    }

    /**
     * Ends the unwind unless other threads registered entries meanwhile, and re-asserts the
     * interrupt flag if an InterruptedException was swallowed or attached.
     * @return whether the unwind is over
     */
    private boolean finishUnwind() {
        boolean interrupt = this.interruptLost;
        this.interruptLost = false;
        if (!endUnwind()) {
            this.interruptLost = interrupt;
            return false;
        }
        if (interrupt) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private boolean beginUnwind(@Nullable Throwable failure) {
        if (Thread.currentThread() == this.owner && this.state == OPEN) {
            this.state = UNWINDING;
            return true;
        }
        try {
            return beginUnwindSlowly();
        }
        catch (IllegalStateException refused) {
            // The refusal replaces the failure in flight for a stack entered into another
            // one, so it carries that failure: nothing is lost.
            if (failure != null) {
                refused.addSuppressed(failure);
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            throw refused;
        }
    }

    private boolean beginUnwindSlowly() {
        Thread current = Thread.currentThread();
        synchronized (this) {
            switch (this.state) {
                case OPEN -> {
                    this.owner = current;
                    this.state = UNWINDING;
                    return true;
                }
                case SEALED -> {
                    return false;
                }
                default -> throw new IllegalStateException((current == this.owner)
                        ? "ExitStack.close() or exit() was called from one of the stack's own entries while it "
                                + "unwinds; an entry must not unwind the stack it belongs to"
                        : "ExitStack is being unwound by thread '" + this.owner.getName()
                                + "'; a stack unwinds on one thread at a time");
            }
        }
    }

    private boolean endUnwind() {
        if (this.scope == null && this.shared == null) {
            this.state = OPEN;
            return true;
        }
        synchronized (this) {
            Shared sharedEntries = this.shared;
            if (sharedEntries != null && sharedEntries.count > 0) {
                return false;
            }
            this.shared = null;
            this.state = (this.scope != null) ? SEALED : OPEN;
            return true;
        }
    }

    private @Nullable Throwable reportClosed(String name, @Nullable Object token, @Nullable Throwable thrown) {
        try {
            this.listener.resourceClosed(name, token, thrown);
            return thrown;
        }
        catch (Throwable ex) {
            if (thrown == null) {
                return ex;
            }
            if (ex != thrown) {
                thrown.addSuppressed(ex);
            }
            return thrown;
        }
    }

    /**
     * Reports a suppressed exception and returns the failure in flight afterwards:
     * {@code inFlight}, or what the listener threw when nothing else was in flight.
     */
    private @Nullable Throwable reportSuppressed(Object entry, @Nullable String name, Throwable exception,
            SuppressionReason reason, @Nullable Throwable inFlight) {
        ExitStackListener reportTo = this.listener;
        if (reportTo == ExitStackListener.NONE) {
            return inFlight;
        }
        try {
            reportTo.exceptionSuppressed((name != null) ? name : EntryNames.of(entry), exception, reason);
            return inFlight;
        }
        catch (Throwable ex) {
            if (inFlight == null) {
                return ex;
            }
            if (ex != inFlight) {
                inFlight.addSuppressed(ex);
            }
            return inFlight;
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneakyThrow(Throwable failure) throws E {
        throw (E) failure;
    }

    /**
     * An entry of a stack with a listener: the entry, its kind, and what it is reported as.
     */
    private record Tracked(Object entry, int kind, String name, @Nullable Object token) {
    }

    /**
     * Entries registered by threads other than the owner, each with the owner's entry count
     * at the time, so that they unwind in registration order relative to the owner's.
     * Guarded by the stack's monitor.
     */
    private static final class Shared {

        @Nullable Object[] entries = new Object[4];

        byte[] kinds = new byte[4];

        int[] positions = new int[4];

        int count;

        void add(Object entry, int kind, int position) {
            if (this.count == this.entries.length) {
                int capacity = this.count << 1;
                this.entries = Arrays.copyOf(this.entries, capacity);
                this.kinds = Arrays.copyOf(this.kinds, capacity);
                this.positions = Arrays.copyOf(this.positions, capacity);
            }
            this.entries[this.count] = entry;
            this.kinds[this.count] = (byte) kind;
            this.positions[this.count] = position;
            this.count++;
        }

    }

}
