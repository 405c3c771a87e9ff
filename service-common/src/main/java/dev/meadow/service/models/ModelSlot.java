package dev.meadow.service.models;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The model a service currently serves with. {@link #swap} replaces it atomically: work that started with the old
 * model finishes with it, new work gets the new one, and the old one is closed when its last user is done.
 */
public final class ModelSlot<T extends AutoCloseable> {

    private final AtomicReference<Counted<T>> current = new AtomicReference<>();

    /** Runs {@code work} with the current model; empty when there is none yet. */
    public <R> Optional<R> use(Function<T, R> work) {
        return useIf(model -> true, work);
    }

    /**
     * Runs {@code work} with the current model if {@code wanted} accepts it; empty when there is none or it is not
     * wanted. The check and the work see the same model, even when a swap lands in between.
     */
    public <R> Optional<R> useIf(Predicate<T> wanted, Function<T, R> work) {
        Counted<T> model = acquire();
        if (model == null) {
            return Optional.empty();
        }
        try {
            return wanted.test(model.value) ? Optional.ofNullable(work.apply(model.value)) : Optional.empty();
        } finally {
            model.release();
        }
    }

    /** Installs {@code next}; the previous model is closed once nothing uses it. */
    public void swap(T next) {
        Counted<T> previous = current.getAndSet(new Counted<>(next));
        if (previous != null) {
            previous.release();
        }
    }

    public boolean isEmpty() {
        return current.get() == null;
    }

    /** Reads something from the current model (its id, say) without keeping it in use. */
    public <R> Optional<R> peek(Function<T, R> read) {
        return use(read);
    }

    public void close() {
        Counted<T> previous = current.getAndSet(null);
        if (previous != null) {
            previous.release();
        }
    }

    private Counted<T> acquire() {
        while (true) {
            Counted<T> model = current.get();
            if (model == null) {
                return null;
            }
            if (model.retain()) {
                return model;
            }
        }
    }

    private static final class Counted<T extends AutoCloseable> {

        private final T value;
        private final AtomicInteger references = new AtomicInteger(1);

        Counted(T value) {
            this.value = value;
        }

        boolean retain() {
            while (true) {
                int n = references.get();
                if (n == 0) {
                    return false;
                }
                if (references.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0) {
                try {
                    value.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing a retired model failed", e);
                }
            }
        }
    }
}
