package dev.meadow.service.models;

import dev.meadow.messaging.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where a service gets its models: the active version of a kind, followed and swapped in as it changes, or any
 * published version by id. Both load through {@link ModelLoading}: fetched once into the local cache, verified,
 * refused by one policy (refusals reported on {@code model-events}, as is the active model once it serves), and
 * closed once their last user is done.
 */
@ApplicationScoped
public class ModelRuntime {

    private final ModelCatalog catalog;
    private final ModelCache cache;
    private final ModelEvents events;

    public ModelRuntime(ModelCatalog catalog, ModelCache cache, ModelEvents events) {
        this.catalog = catalog;
        this.cache = cache;
        this.events = events;
    }

    /** The active model of the type's kind; call {@link ActiveModel#start()} once the service has started. */
    public <T extends AutoCloseable> ActiveModel<T> active(ModelType<T> type) {
        return new ActiveModel<>(catalog, loading(type));
    }

    /** Published models of the type's kind by id, loaded on first use; at most {@code keep} stay open. */
    public <T extends AutoCloseable> LoadedModels<T> byId(ModelType<T> type, int keep) {
        ModelLoading<T> loading = loading(type);
        return new LoadedModels<>(keep, id -> catalog.published(type.kind(), id).map(loading::load));
    }

    private <T extends AutoCloseable> ModelLoading<T> loading(ModelType<T> type) {
        return new ModelLoading<>(type, cache::fetch, events);
    }
}
