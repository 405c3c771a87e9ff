package dev.meadow.service.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Models loaded on first use by id and kept for the next, at most {@code limit} of them: beyond that the least
 * recently used is closed (once its current users are done, as {@link ModelSlot} does).
 */
public final class LoadedModels<T extends AutoCloseable> {

    private final int limit;
    private final Function<String, Optional<T>> loader;
    private final Map<String, ModelSlot<T>> slots = new LinkedHashMap<>(8, 0.75f, true);

    /** @param loader loads a model by id; empty when no such model is published */
    public LoadedModels(int limit, Function<String, Optional<T>> loader) {
        this.limit = limit;
        this.loader = loader;
    }

    /** Runs {@code work} with model {@code id}, loading it first if needed; empty when there is no such model. */
    public <R> Optional<R> use(String id, Function<T, R> work) {
        while (true) {
            ModelSlot<T> slot = slot(id);
            if (slot == null) {
                return Optional.empty();
            }
            Optional<R> result = slot.use(work);
            // Empty from a slot that was evicted in between (not from work): load it again.
            if (result.isPresent() || !slot.isEmpty()) {
                return result;
            }
        }
    }

    private synchronized ModelSlot<T> slot(String id) {
        ModelSlot<T> slot = slots.get(id);
        if (slot != null) {
            return slot;
        }
        Optional<T> model = loader.apply(id);
        if (model.isEmpty()) {
            return null;
        }
        slot = new ModelSlot<>();
        slot.swap(model.get());
        slots.put(id, slot);
        if (slots.size() > limit) {
            var eldest = slots.entrySet().iterator().next();
            slots.remove(eldest.getKey());
            eldest.getValue().close();
        }
        return slot;
    }

    public synchronized void close() {
        slots.values().forEach(ModelSlot::close);
        slots.clear();
    }
}
