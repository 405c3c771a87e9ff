package dev.meadow.embedder.service;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.embedder.config.EmbedderConfig;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.service.models.ModelCache;
import dev.meadow.service.models.ModelEvents;
import dev.meadow.service.models.ModelSlot;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The active CLIP model. When the catalog names a new active CLIP, it is downloaded and loaded in the background
 * and swapped in atomically; one that cannot be loaded is refused and the current one keeps serving.
 */
@ApplicationScoped
public class ClipRuntime {

    private static final Logger LOG = Logger.getLogger(ClipRuntime.class);

    @Inject
    ModelCatalog catalog;

    @Inject
    ModelCache cache;

    @Inject
    ModelEvents events;

    @Inject
    EmbedderConfig config;

    private final ModelSlot<ClipModel> slot = new ModelSlot<>();
    private final CompletableFuture<Void> firstModel = new CompletableFuture<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> new Thread(r, "clip-loader"));

    void onStart(@Observes StartupEvent event) {
        catalog.onActiveChange(kind -> {
            if (kind == ModelKind.CLIP) {
                loader.submit(this::loadActive);
            }
        });
        loader.submit(this::loadActive);
    }

    private void loadActive() {
        Optional<ModelPublished> active = catalog.active(ModelKind.CLIP);
        if (active.isEmpty() || active.get().modelId().equals(modelId().orElse(null))) {
            return;
        }
        ModelPublished model = active.get();
        try {
            Path dir = cache.fetch(model);
            ClipModel clip = ClipModel.load(dir, config.threads());
            if (!clip.modelId().equals(model.modelId()) || clip.dimension() != model.embeddingDimension()) {
                String reason = "the files of " + model.modelId() + " describe " + clip.modelId() + " with "
                        + clip.dimension() + " dimensions";
                clip.close();
                throw new IllegalStateException(reason);
            }
            slot.swap(clip);
            firstModel.complete(null);
            LOG.infof("Serving with CLIP %s (%d dimensions)", model.modelId(), clip.dimension());
            events.loaded(ModelKind.CLIP, model.modelId());
        } catch (RuntimeException e) {
            LOG.errorf("Refusing CLIP %s: %s", model.modelId(), e.getMessage());
            events.refused(ModelKind.CLIP, model.modelId(), e.getMessage());
        }
    }

    public Optional<String> modelId() {
        return slot.peek(ClipModel::modelId);
    }

    /** Runs {@code work} with the current CLIP model. */
    public <R> R use(Function<ClipModel, R> work) {
        return slot.use(work).orElseThrow(() -> new IllegalStateException("no CLIP model is active yet"));
    }

    /** Completes once a CLIP model serves; work waits here (in Kafka) rather than failing. */
    public Uni<Void> awaitModel() {
        return Uni.createFrom().completionStage(firstModel);
    }

    @PreDestroy
    void stop() {
        loader.shutdownNow();
        slot.close();
    }
}
