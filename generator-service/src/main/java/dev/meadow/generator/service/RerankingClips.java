package dev.meadow.generator.service;

import java.util.Optional;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.service.models.LoadedModels;
import dev.meadow.service.models.ModelRefusedException;
import dev.meadow.service.models.ModelRuntime;
import dev.meadow.service.models.ModelType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The CLIP models that pick the best of N candidates: each decoder's own, the one whose text embeddings condition
 * it, loaded from the catalog the first time a request asks for best of N and kept for the next.
 */
@ApplicationScoped
public class RerankingClips {

    /** One per decoder in use; more only when pinned decoders were trained against other CLIPs. */
    private static final int KEPT = 2;

    private final LoadedModels<ClipModel> loaded;

    public RerankingClips(ModelRuntime models, GeneratorConfig config) {
        this.loaded = models.byId(
                ModelType.of(
                        ModelKind.CLIP,
                        dir -> ClipModel.load(dir, config.threads()),
                        InvalidModelException::meansBrokenFiles,
                        ClipModel::modelId),
                KEPT);
    }

    /**
     * Runs {@code work} with CLIP {@code clipModelId}; empty when that CLIP is not published.
     *
     * @throws ModelRefusedException when it is published but refused
     */
    public <R> Optional<R> use(String clipModelId, Function<ClipModel, R> work) {
        return loaded.use(clipModelId, work);
    }

    @PreDestroy
    void stop() {
        loaded.close();
    }
}
