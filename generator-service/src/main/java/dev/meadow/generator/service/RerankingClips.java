package dev.meadow.generator.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.service.models.ModelCache;
import dev.meadow.service.models.ModelSlot;

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

    private final Map<String, ModelSlot<ClipModel>> loaded = new LinkedHashMap<>(4, 0.75f, true);

    /** Runs {@code work} with CLIP {@code clipModelId}; empty when that CLIP is not published. */
    public <R> Optional<R> use(String clipModelId, Function<ClipModel, R> work) {
        ModelSlot<ClipModel> slot = slot(clipModelId);
        return slot == null ? Optional.empty() : slot.use(work);
    }

    private synchronized ModelSlot<ClipModel> slot(String clipModelId) {
        ModelSlot<ClipModel> slot = loaded.get(clipModelId);
        if (slot != null) {
            return slot;
        }
        Optional<ModelPublished> model = catalog.published(ModelKind.CLIP, clipModelId);
        if (model.isEmpty()) {
            return null;
        }
        ClipModel clip = ClipModel.load(cache.fetch(model.get()), config.threads());
        if (!clip.modelId().equals(clipModelId)) {
            String found = clip.modelId();
            clip.close();
            throw new IllegalStateException("the files published as CLIP " + clipModelId + " hold " + found);
        }
        slot = new ModelSlot<>();
        slot.swap(clip);
        loaded.put(clipModelId, slot);
        if (loaded.size() > KEPT) {
            var eldest = loaded.entrySet().iterator().next();
            loaded.remove(eldest.getKey());
            eldest.getValue().close();
        }
        return slot;
    }

    @PreDestroy
    synchronized void stop() {
        loaded.values().forEach(ModelSlot::close);
        loaded.clear();
    }
}
