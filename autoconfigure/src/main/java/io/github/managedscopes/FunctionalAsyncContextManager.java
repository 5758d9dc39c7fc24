package io.github.managedscopes;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The manager of {@link ContextManagers#ofAsync}: enters by starting {@code enter}, exits by
 * starting {@code exit} with the entered value, never swallows. It may be entered again once
 * it has exited, but not while it is entered.
 *
 * @param <T> the type of the entered value
 */
final class FunctionalAsyncContextManager<T> implements AsyncContextManager<T>, EntryNames.Named {

    private static final Object NOT_ENTERED = new Object();

    private final Supplier<? extends CompletionStage<T>> enter;

    private final Function<? super T, ? extends CompletionStage<?>> exit;

    private @Nullable Object value = NOT_ENTERED;

    private boolean entering;

    FunctionalAsyncContextManager(Supplier<? extends CompletionStage<T>> enter,
            Function<? super T, ? extends CompletionStage<?>> exit) {
        this.enter = enter;
        this.exit = exit;
    }

    @Override
    public CompletionStage<T> enterAsync() {
        synchronized (this) {
            if (this.entering || this.value != NOT_ENTERED) {
                throw new IllegalStateException("This context manager is already entered; exit it before entering "
                        + "it again, or create one manager per use");
            }
            this.entering = true;
        }
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(this.enter.get(),
                    "the enter function of ContextManagers.ofAsync returned null instead of a CompletionStage");
        }
        catch (RuntimeException | Error ex) {
            entered(NOT_ENTERED);
            throw ex;
        }
        return stage.whenComplete((entered, failure) -> entered((failure != null) ? NOT_ENTERED : entered));
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<Boolean> exitAsync(@Nullable Throwable failure) {
        Object entered;
        synchronized (this) {
            entered = this.value;
            if (entered == NOT_ENTERED) {
                throw new IllegalStateException("This context manager was not entered; call enterAsync() and wait "
                        + "for its stage before exitAsync()");
            }
            this.value = NOT_ENTERED;
        }
        CompletionStage<?> exiting = this.exit.apply((T) entered);
        if (exiting == null) {
            throw new NullPointerException("the exit function of ContextManagers.ofAsync returned null instead of "
                    + "a CompletionStage");
        }
        return exiting.thenApply((ignored) -> Boolean.FALSE);
    }

    @Override
    public String entryName() {
        return EntryNames.contextManager(this.enter);
    }

    private synchronized void entered(@Nullable Object entered) {
        this.entering = false;
        this.value = entered;
    }

}
