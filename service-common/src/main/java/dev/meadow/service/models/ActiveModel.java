package dev.meadow.service.models;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.meadow.contracts.ModelPublished;
import dev.meadow.messaging.ModelCatalog;
import org.jboss.logging.Logger;

/**
 * The active model of one kind, followed from the catalog: when another version becomes active (or any active model
 * changes, which may make a refused one fit), it is loaded in the background and swapped in atomically. Work that
 * started with the old model finishes with it. A model that is refused leaves the current one serving.
 */
public final class ActiveModel<T extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ActiveModel.class);

    private final ModelCatalog catalog;
    private final ModelLoading<T> loading;
    private final ModelSlot<Served<T>> slot = new ModelSlot<>();
    private final CompletableFuture<Void> firstModel = new CompletableFuture<>();
    private final ExecutorService loader;

    /** A model and the publication it was loaded from. */
    private record Served<T extends AutoCloseable>(T model, ModelPublished published) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            model.close();
        }
    }

    ActiveModel(ModelCatalog catalog, ModelLoading<T> loading) {
        this.catalog = catalog;
        this.loading = loading;
        String kind = loading.type().kind().id();
        this.loader = Executors.newSingleThreadExecutor(r -> new Thread(r, kind + "-loader"));
    }

    /** Loads the active version now and follows the catalog from here on. */
    public ActiveModel<T> start() {
        catalog.onActiveChange(kind -> loader.submit(this::loadActive));
        loader.submit(this::loadActive);
        return this;
    }

    private void loadActive() {
        Optional<ModelPublished> wanted = catalog.active(loading.type().kind());
        if (wanted.isEmpty() || wanted.get().equals(slot.peek(Served::published).orElse(null))) {
            return;
        }
        try {
            T model = loading.load(wanted.get());
            slot.swap(new Served<>(model, wanted.get()));
            firstModel.complete(null);
            LOG.infof(
                    "Serving with %s model %s",
                    loading.type().kind().id(), wanted.get().modelId());
        } catch (ModelRefusedException e) {
            LOG.infof("Keeping %s", activeId().orElse("no model"));
        } catch (RuntimeException e) {
            // Transient (the store away for longer than the fetch retries): the next catalog change tries again.
            LOG.errorf(
                    e,
                    "Could not load %s model %s",
                    loading.type().kind().id(),
                    wanted.get().modelId());
        }
    }

    /** The id of the model serving now. */
    public Optional<String> activeId() {
        return slot.peek(served -> served.published().modelId());
    }

    /** Runs {@code work} with the model serving now; empty while none does. */
    public <R> Optional<R> use(Function<T, R> work) {
        return slot.use(served -> work.apply(served.model()));
    }

    /** Runs {@code work} with the model serving now if {@code wanted} accepts it; the check and the work see the same. */
    public <R> Optional<R> useIf(Predicate<T> wanted, Function<T, R> work) {
        return slot.useIf(served -> wanted.test(served.model()), served -> work.apply(served.model()));
    }

    /** Completes once a model serves, so that work can wait for it (in Kafka) rather than fail. */
    public CompletionStage<Void> firstModel() {
        return firstModel;
    }

    @Override
    public void close() {
        loader.shutdownNow();
        slot.close();
    }
}
