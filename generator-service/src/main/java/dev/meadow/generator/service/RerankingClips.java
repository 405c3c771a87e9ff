package dev.meadow.generator.service;

import java.util.Optional;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.service.models.LoadedModels;
import dev.meadow.service.models.ModelCache;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The CLIP models that pick the best of N candidates: each decoder's own, the one whose text embeddings condition
 * it, loaded from the catalog the first time a request asks for best of N and kept for the next.
 */
@ApplicationScoped
public class RerankingClips {

    /** One per decoder in use; more only when pinned decoders were trained against other CLIPs. */
    private static final int KEPT = 2;

    @Inject
    ModelCatalog catalog;

    @Inject
    ModelCache cache;

    @Inject
    GeneratorConfig config;

    private LoadedModels<ClipModel> loaded;

    @PostConstruct
    void init() {
        loaded = new LoadedModels<>(
                KEPT, id -> catalog.published(ModelKind.CLIP, id).map(this::load));
    }

    /** Runs {@code work} with CLIP {@code clipModelId}; empty when that CLIP is not published. */
    public <R> Optional<R> use(String clipModelId, Function<ClipModel, R> work) {
        return loaded.use(clipModelId, work);
    }

    private ClipModel load(ModelPublished model) {
        ClipModel clip = ClipModel.load(cache.fetch(model), config.threads());
        if (!clip.modelId().equals(model.modelId())) {
            String found = clip.modelId();
            clip.close();
            throw new InvalidModelException("the files published as CLIP " + model.modelId() + " hold " + found);
        }
        return clip;
    }

    @PreDestroy
    void stop() {
        loaded.close();
    }
}
