package dev.meadow.embedder.service;

import java.util.Optional;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.embedder.config.EmbedderConfig;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.service.models.ActiveModel;
import dev.meadow.service.models.ModelRuntime;
import dev.meadow.service.models.ModelType;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The active CLIP model, followed through the catalog and swapped in as it changes (see {@link ActiveModel}). */
@ApplicationScoped
public class ClipRuntime {

    private final ActiveModel<ClipModel> active;

    public ClipRuntime(ModelRuntime models, EmbedderConfig config) {
        ModelType<ClipModel> type = ModelType.of(
                        ModelKind.CLIP,
                        dir -> ClipModel.load(dir, config.threads()),
                        InvalidModelException::meansBrokenFiles,
                        ClipModel::modelId)
                .verifiedBy((clip, published) -> clip.dimension() == published.embeddingDimension()
                        ? null
                        : "its files make " + clip.dimension() + "-dimensional embeddings, not the "
                                + published.embeddingDimension() + " it was published with");
        this.active = models.active(type);
    }

    void onStart(@Observes StartupEvent event) {
        active.start();
    }

    public Optional<String> modelId() {
        return active.activeId();
    }

    /** Runs {@code work} with the current CLIP model. */
    public <R> R use(Function<ClipModel, R> work) {
        return active.use(work).orElseThrow(() -> new IllegalStateException("no CLIP model is active yet"));
    }

    /** Completes once a CLIP model serves; work waits here (in Kafka) rather than failing. */
    public Uni<Void> awaitModel() {
        return Uni.createFrom().completionStage(active.firstModel());
    }

    @PreDestroy
    void stop() {
        active.close();
    }
}
