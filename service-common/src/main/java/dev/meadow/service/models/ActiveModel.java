package dev.meadow.service.models;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.meadow.contracts.ModelPublished;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.retry.Backoff;
import org.jboss.logging.Logger;

/**
 * The active model of one kind, followed from the catalog: when another model becomes active (or any active model
 * changes, which may make a refused one fit), it is loaded in the background and swapped in atomically. Work that
 * started with the old model finishes with it. A refused model leaves the current one serving; a load that fails for
 * a transient reason is tried again, 5 s later and then at doubling intervals up to a minute.
 */
public final class ActiveModel<T extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ActiveModel.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);

    private final ModelCatalog catalog;
    private final ModelLoading<T> loading;
    private final ModelSlot<Served<T>> slot = new ModelSlot<>();
    private final CompletableFuture<Void> firstModel = new CompletableFuture<>();
    private final ScheduledExecutorService loader;
    private volatile boolean closed;

    private final Backoff retries = new Backoff(FIRST_RETRY, LAST_RETRY);
    private ScheduledFuture<?> retry;

    /** A model and the id it serves under, swapped together. */
    private record Served<T extends AutoCloseable>(T model, String modelId) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            model.close();
        }
    }

    ActiveModel(ModelCatalog catalog, ModelLoading<T> loading) {
        this.catalog = catalog;
        this.loading = loading;
        String kind = loading.type().kind().id();
        this.loader = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, kind + "-loader"));
    }

    /** Loads the active model now and follows the catalog from here on. */
    public ActiveModel<T> start() {
        catalog.onActiveChange(kind -> schedule(Duration.ZERO));
        schedule(Duration.ZERO);
        return this;
    }

    /** @return the scheduled load, or null once closing */
    private ScheduledFuture<?> schedule(Duration delay) {
        if (closed) {
            return null;
        }
        try {
            return loader.schedule(this::loadActive, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: nothing more to load.
            return null;
        }
    }

    private void loadActive() {
        if (closed) {
            return;
        }
        Optional<ModelPublished> wanted = catalog.active(loading.type().kind());
        // By id: publishing the serving model again (as every seeding does) is no reason to load it again.
        String servingId = activeId().orElse(null);
        if (wanted.isEmpty() || wanted.get().modelId().equals(servingId)) {
            return;
        }
        try {
            T model = loading.load(wanted.get());
            if (closed) {
                model.close();
                return;
            }
            slot.swap(new Served<>(model, wanted.get().modelId()));
            retries.reset();
            firstModel.complete(null);
            LOG.infof(
                    "Serving with %s model %s",
                    loading.type().kind().id(), wanted.get().modelId());
            loading.serving(wanted.get());
        } catch (ModelRefusedException e) {
            LOG.infof("Keeping %s", servingId == null ? "no model" : servingId);
        } catch (Exception e) {
            Duration delay = retries.next();
            LOG.errorf(
                    "Could not load %s model %s, trying again in %d s: %s",
                    loading.type().kind().id(), wanted.get().modelId(), delay.toSeconds(), e.getMessage());
            if (retry == null || retry.isDone()) {
                retry = schedule(delay);
            }
        }
    }

    /** The id of the model serving now. */
    public Optional<String> activeId() {
        return slot.peek(Served::modelId);
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
        closed = true;
        loader.shutdownNow();
        try {
            if (!loader.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warnf(
                        "The %s loader did not stop within 30 s",
                        loading.type().kind().id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slot.close();
    }
}
