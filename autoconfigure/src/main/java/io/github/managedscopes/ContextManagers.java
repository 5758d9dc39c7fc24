package io.github.managedscopes;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The {@code contextlib} counterparts: {@code suppress}, {@code closing},
 * {@code nullcontext} and {@code @contextmanager}. Every manager returned here may be entered
 * again once it has been exited, but not while it is entered.
 */
public final class ContextManagers {

    private ContextManagers() {
    }

    /**
     * A manager that swallows failures of the given types (and their subtypes), like
     * {@code contextlib.suppress}. A {@link VirtualMachineError} is never swallowed.
     * @param types the types to swallow, at least one
     * @return the manager; its entered value is {@code null}
     */
    @SafeVarargs
    public static ContextManager<@Nullable Void> suppress(Class<? extends Throwable>... types) {
        Objects.requireNonNull(types, "'types' must not be null");
        if (types.length == 0) {
            throw new IllegalArgumentException("'types' must name at least one exception type to suppress");
        }
        SuppressedTypes suppressed = SuppressedTypes.of(types);
        return new NamedContextManager<@Nullable Void>() {

            @Override
            public @Nullable Void enter() {
                return null;
            }

            @Override
            public boolean exit(@Nullable Throwable failure) {
                return suppressed.matches(failure);
            }

            @Override
            public String entryName() {
                return "suppress" + suppressed.simpleNames();
            }

            @Override
            public String toString() {
                return "suppress" + suppressed;
            }

        };
    }

    /**
     * A manager that hands out {@code thing} and closes it with {@code closer} on exit, like
     * {@code contextlib.closing} for objects that are not {@link AutoCloseable}.
     * @param thing the thing to close
     * @param closer how to close it
     * @param <T> the type of the thing
     * @return the manager; its entered value is {@code thing}
     */
    public static <T> ContextManager<T> closing(T thing, ThrowingConsumer<? super T> closer) {
        Objects.requireNonNull(thing, "'thing' must not be null");
        Objects.requireNonNull(closer, "'closer' must not be null");
        return new NamedContextManager<>() {

            @Override
            public T enter() {
                return thing;
            }

            @Override
            public boolean exit(@Nullable Throwable failure) throws Exception {
                closer.accept(thing);
                return false;
            }

            @Override
            public String entryName() {
                return "closing(" + EntryNames.of(thing) + ")";
            }

        };
    }

    /**
     * A manager that does nothing, like {@code contextlib.nullcontext}: for code that takes
     * a manager when there is nothing to manage.
     * @param value the value to hand out on enter, may be {@code null}
     * @param <T> the type of the value
     * @return the manager
     */
    public static <T extends @Nullable Object> ContextManager<T> nullContext(T value) {
        return new NamedContextManager<>() {

            @Override
            public T enter() {
                return value;
            }

            @Override
            public boolean exit(@Nullable Throwable failure) {
                return false;
            }

            @Override
            public String entryName() {
                return "nullContext";
            }

        };
    }

    /**
     * A manager built from two functions, the analogue of {@code @contextmanager}: {@code exit}
     * runs on every exit with the entered value, sees nothing of the failure and never
     * swallows it.
     * @param enter acquires the value
     * @param exit releases it
     * @param <T> the type of the value
     * @return the manager
     */
    public static <T> ContextManager<T> of(ThrowingSupplier<T> enter, ThrowingConsumer<? super T> exit) {
        Objects.requireNonNull(enter, "'enter' must not be null");
        Objects.requireNonNull(exit, "'exit' must not be null");
        return of(enter, (T value, @Nullable Throwable failure) -> {
            exit.accept(value);
            return false;
        });
    }

    /**
     * A manager built from two functions whose exit sees the failure in flight and may
     * swallow it by returning {@code true}.
     * @param enter acquires the value
     * @param exit releases it
     * @param <T> the type of the value
     * @return the manager
     */
    public static <T> ContextManager<T> of(ThrowingSupplier<T> enter, ExitAction<? super T> exit) {
        Objects.requireNonNull(enter, "'enter' must not be null");
        Objects.requireNonNull(exit, "'exit' must not be null");
        return new FunctionalContextManager<>(enter, exit);
    }

    /**
     * An asynchronous manager built from two functions, the analogue of
     * {@code @asynccontextmanager}: {@code exit} runs on every exit with the entered value,
     * sees nothing of the failure and never swallows it.
     * @param enter starts acquiring the value
     * @param exit starts releasing it
     * @param <T> the type of the value
     * @return the manager
     */
    public static <T> AsyncContextManager<T> ofAsync(Supplier<? extends CompletionStage<T>> enter,
            Function<? super T, ? extends CompletionStage<?>> exit) {
        Objects.requireNonNull(enter, "'enter' must not be null");
        Objects.requireNonNull(exit, "'exit' must not be null");
        return new FunctionalAsyncContextManager<>(enter, exit);
    }

    /**
     * The exit half of {@link #of(ThrowingSupplier, ExitAction)}.
     *
     * @param <T> the type of the entered value
     */
    @FunctionalInterface
    public interface ExitAction<T> {

        /**
         * Releases the entered value.
         * @param value what enter returned
         * @param failure the failure in flight, or {@code null}
         * @return {@code true} to swallow {@code failure}
         * @throws Exception if releasing failed
         */
        boolean exit(T value, @Nullable Throwable failure) throws Exception;

    }

    /** A manager that says what it is reported as, rather than its anonymous class's name. */
    private interface NamedContextManager<T> extends ContextManager<T>, EntryNames.Named {
    }

    private static final class FunctionalContextManager<T> implements ContextManager<T>, EntryNames.Named {

        private static final Object NOT_ENTERED = new Object();

        private final ThrowingSupplier<T> enter;

        private final ExitAction<? super T> exit;

        private @Nullable Object value = NOT_ENTERED;

        FunctionalContextManager(ThrowingSupplier<T> enter, ExitAction<? super T> exit) {
            this.enter = enter;
            this.exit = exit;
        }

        @Override
        public synchronized T enter() throws Exception {
            if (this.value != NOT_ENTERED) {
                throw new IllegalStateException("This context manager is already entered; exit it before entering "
                        + "it again, or create one manager per use");
            }
            T entered = this.enter.get();
            this.value = entered;
            return entered;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean exit(@Nullable Throwable failure) throws Exception {
            Object entered;
            synchronized (this) {
                entered = this.value;
                if (entered == NOT_ENTERED) {
                    throw new IllegalStateException("This context manager was not entered; call enter() before exit()");
                }
                this.value = NOT_ENTERED;
            }
            return this.exit.exit((T) entered, failure);
        }

        @Override
        public String entryName() {
            return EntryNames.contextManager(this.enter);
        }

    }

}
