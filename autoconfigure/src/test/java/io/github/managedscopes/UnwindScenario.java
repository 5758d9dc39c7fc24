package io.github.managedscopes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.jspecify.annotations.Nullable;

/**
 * Test support for {@link ExitStackPropertyTest}: a random description of what is registered
 * on a stack and how the body ends, generated from a seed.
 *
 * @param entries the entries, first registered first
 * @param body how the body ends
 * @param viaClose whether a body that succeeds is followed by {@code close()} rather than {@code exit(null)}
 * @param withListener whether the stack reports to a recording listener
 */
record UnwindScenario(List<Entry> entries, Fault body, boolean viaClose, boolean withListener) {

    /** What an entry is. */
    enum Kind {
        RESOURCE, PUSHED_EXIT, CONTEXT_EXIT, CALLBACK, ON_FAILURE, ON_SUCCESS, NESTED_STACK
    }

    /** How an entry (or the body) fails, if at all. */
    enum Fault {
        NONE, RUNTIME, CHECKED, ERROR, FATAL,
        /** Only for exits: throw the very failure handed in, if there is one. */
        RETHROW;

        Throwable create(String label) {
            return switch (this) {
                case RUNTIME -> new IllegalStateException(label);
                case CHECKED -> new IOException(label);
                case ERROR -> new AssertionError(label);
                case FATAL -> new OutOfMemoryError(label);
                default -> throw new IllegalArgumentException(this + " creates nothing");
            };
        }
    }

    /**
     * One entry.
     * @param label its name in events and exception messages
     * @param kind what it is
     * @param fault how it fails
     * @param swallows for exits: whether it returns {@code true}
     * @param children for a nested stack: its entries
     */
    record Entry(String label, Kind kind, Fault fault, boolean swallows, List<Entry> children) {

        @Override
        public String toString() {
            return this.label + ":" + this.kind + ((this.fault != Fault.NONE) ? "/" + this.fault : "")
                    + (this.swallows ? "/swallows" : "") + (this.children.isEmpty() ? "" : this.children);
        }

    }

    static UnwindScenario generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] budget = { 1 + random.nextInt(6) };
        List<Entry> entries = entries(random, "e", budget, 0);
        Fault body = (random.nextInt(10) < 4) ? Fault.NONE : failure(random);
        return new UnwindScenario(entries, body, random.nextBoolean(), random.nextBoolean());
    }

    private static List<Entry> entries(SplittableRandom random, String prefix, int[] budget, int depth) {
        List<Entry> entries = new ArrayList<>();
        int count = (depth == 0) ? budget[0] : 1 + random.nextInt(Math.max(1, budget[0]));
        for (int i = 0; i < count && budget[0] > 0; i++) {
            String label = prefix + i;
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            if (kind == Kind.NESTED_STACK && depth < 2 && budget[0] > 1) {
                budget[0]--;
                entries.add(new Entry(label, kind, Fault.NONE, false, entries(random, label + ".", budget, depth + 1)));
                continue;
            }
            if (kind == Kind.NESTED_STACK) {
                kind = Kind.RESOURCE;
            }
            budget[0]--;
            boolean exit = kind == Kind.PUSHED_EXIT || kind == Kind.CONTEXT_EXIT;
            Fault fault = (random.nextInt(10) < 5) ? Fault.NONE
                    : (exit && random.nextInt(6) == 0) ? Fault.RETHROW : failure(random);
            entries.add(new Entry(label, kind, fault, exit && random.nextBoolean(), List.of()));
        }
        return entries;
    }

    private static Fault failure(SplittableRandom random) {
        int roll = random.nextInt(20);
        return (roll < 7) ? Fault.RUNTIME : (roll < 14) ? Fault.CHECKED : (roll < 18) ? Fault.ERROR : Fault.FATAL;
    }

    /** The entries of nested stacks spliced in at their position: what the stack must behave like. */
    static List<Entry> flatten(List<Entry> entries) {
        List<Entry> flat = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.kind() == Kind.NESTED_STACK) {
                flat.addAll(flatten(entry.children()));
            }
            else {
                flat.add(entry);
            }
        }
        return flat;
    }

    /**
     * What one execution of a scenario observed: the events in order (each exit with the
     * label of the failure it saw), how the unwind ended, and the propagated failure
     * described through the labels of the exceptions this execution created.
     */
    record Observation(List<String> events, String ending, String propagated) {
    }

    /** One execution: creates its own exceptions, so that identity can be checked per execution. */
    static final class Run {

        final List<String> events = new ArrayList<>();

        final Map<Throwable, String> created = new IdentityHashMap<>();

        @Nullable Throwable propagated;

        Throwable create(Fault fault, String label) {
            Throwable failure = fault.create(label);
            this.created.put(failure, label);
            return failure;
        }

        String label(@Nullable Throwable failure) {
            if (failure == null) {
                return "null";
            }
            String label = this.created.get(failure);
            return (label != null) ? label : "FOREIGN " + failure;
        }

        /**
         * Runs an entry's exit (of any kind but a nested stack) the way the hand-written
         * blocks do: an onFailure/onSuccess entry decides from the failure whether to run.
         */
        boolean exit(Entry entry, @Nullable Throwable failure) throws Exception {
            if (entry.kind() == Kind.ON_FAILURE && failure == null
                    || entry.kind() == Kind.ON_SUCCESS && failure != null) {
                return false;
            }
            return perform(entry, failure);
        }

        /** Records that the entry ran (an exit with the failure it saw), fails as described, returns whether it swallows. */
        boolean perform(Entry entry, @Nullable Throwable failure) throws Exception {
            boolean exit = entry.kind() == Kind.PUSHED_EXIT || entry.kind() == Kind.CONTEXT_EXIT;
            this.events.add(entry.label() + " " + entry.kind() + (exit ? "(" + label(failure) + ")" : ""));
            if (entry.fault() == Fault.RETHROW) {
                if (failure != null) {
                    throw EventLog.sneaky(failure);
                }
            }
            else if (entry.fault() != Fault.NONE) {
                throw EventLog.sneaky(create(entry.fault(), entry.label()));
            }
            return entry.swallows();
        }

        /** Describes a failure and, recursively, its suppressed exceptions, by label. */
        String describe(@Nullable Throwable failure, int depth) {
            if (failure == null) {
                return "none";
            }
            if (depth > 8) {
                return "...";
            }
            StringBuilder text = new StringBuilder(label(failure));
            Throwable[] suppressed = failure.getSuppressed();
            if (suppressed.length > 0) {
                text.append(" {");
                for (int i = 0; i < suppressed.length; i++) {
                    text.append((i > 0) ? ", " : "").append(describe(suppressed[i], depth + 1));
                }
                text.append('}');
            }
            return text.toString();
        }

    }

}
