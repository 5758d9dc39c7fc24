package io.github.managedscopes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.github.managedscopes.UnwindScenario.Entry;
import io.github.managedscopes.UnwindScenario.Kind;

/**
 * Test support for {@link AsyncExitStackPropertyTest}: an {@link UnwindScenario} in which each
 * entry is registered either as a synchronous entry or as its asynchronous counterpart, with
 * a way of delivering its outcome through a stage; nested stacks are {@link ExitStack}s or
 * {@link AsyncExitStack}s.
 *
 * @param scenario the program
 * @param deliveries how each entry (by label) delivers its outcome
 */
record AsyncUnwindScenario(UnwindScenario scenario, Map<String, Delivery> deliveries) {

    /** How an entry runs and hands its outcome back. */
    enum Delivery {
        /** A synchronous entry (for a nested stack: an {@link ExitStack}). */
        SYNC,
        /** An asynchronous entry whose stage is complete when returned (a nested {@link AsyncExitStack}). */
        NOW,
        /** Its stage is completed later, on another thread. */
        LATER,
        /** A failure is thrown instead of returning a stage. */
        THROWN,
        /** A failure arrives later, wrapped in a {@link CompletionException}. */
        WRAPPED_LATER,
        /** A minimal completion stage, complete when returned. */
        MINIMAL;

        /**
         * Runs an entry's body when its close or exit starts and delivers what it returned
         * or threw.
         */
        <T> CompletionStage<T> deliver(UnwindScenario.Run run, Stages stages, Body<T> body) {
            T value;
            try {
                value = body.run();
            }
            catch (Throwable failure) {
                return switch (this) {
                    case THROWN -> throw Failures.<RuntimeException>sneakyThrow(failure);
                    case LATER -> stages.failingLater(failure);
                    case WRAPPED_LATER -> stages.failingLater(new CompletionException(failure));
                    case MINIMAL -> CompletableFuture.failedStage(failure);
                    default -> CompletableFuture.failedFuture(failure);
                };
            }
            return switch (this) {
                case LATER, WRAPPED_LATER -> stages.later(value);
                case MINIMAL -> CompletableFuture.completedStage(value);
                default -> CompletableFuture.completedFuture(value);
            };
        }
    }

    /** What an entry does: returns whether it swallows, or throws. */
    @FunctionalInterface
    interface Body<T> {

        T run() throws Exception;

    }

    private static final Delivery[] ASYNC = { Delivery.NOW, Delivery.LATER, Delivery.THROWN, Delivery.WRAPPED_LATER,
            Delivery.MINIMAL };

    static AsyncUnwindScenario generate(long seed) {
        UnwindScenario scenario = UnwindScenario.generate(seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<String, Delivery> deliveries = new HashMap<>();
        choose(scenario.entries(), random, true, deliveries);
        return new AsyncUnwindScenario(scenario, Map.copyOf(deliveries));
    }

    private static void choose(List<Entry> entries, SplittableRandom random, boolean asyncAllowed,
            Map<String, Delivery> deliveries) {
        for (Entry entry : entries) {
            boolean hasCounterpart = entry.kind() != Kind.ON_FAILURE && entry.kind() != Kind.ON_SUCCESS;
            Delivery delivery = (!asyncAllowed || !hasCounterpart || random.nextInt(3) == 0) ? Delivery.SYNC
                    : (entry.kind() == Kind.NESTED_STACK) ? Delivery.NOW : ASYNC[random.nextInt(ASYNC.length)];
            deliveries.put(entry.label(), delivery);
            choose(entry.children(), random, delivery != Delivery.SYNC, deliveries);
        }
    }

    Delivery deliveryOf(Entry entry) {
        return this.deliveries.get(entry.label());
    }

    @Override
    public String toString() {
        return this.scenario + " delivered " + new java.util.TreeMap<>(this.deliveries);
    }

}
