package dev.meadow.model.publishing;

import java.nio.file.Path;
import java.time.Instant;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.model.clip.ClipCard;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.prior.PriorCard;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;

/** Puts a model directory into the models bucket and describes it as a {@code models} record. */
public final class ModelPublishing {

    private ModelPublishing() {}

    /** Uploads the directory's files under the model's prefix; the card goes last, so a reader never sees half. */
    public static String upload(ObjectStore store, ModelKind kind, String modelId, Path directory, String cardFile) {
        String prefix = store.layout().modelPrefix(kind, modelId);
        java.util.List<Path> files;
        try (var walk = java.nio.file.Files.walk(directory)) {
            files = walk.filter(java.nio.file.Files::isRegularFile).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace('\\', '/');
            if (!relative.equals(cardFile)) {
                store.putFile(Bucket.MODELS, prefix + relative, file, "application/octet-stream");
            }
        }
        store.putFile(Bucket.MODELS, prefix + cardFile, directory.resolve(cardFile), "application/json");
        return prefix;
    }

    public static ModelPublished decoder(
            DecoderCard card, String objectPrefix, String snapshotId, String runId, Instant at) {
        return new ModelPublished(
                ModelPublished.CURRENT_VERSION,
                ModelKind.CVAE,
                card.modelId(),
                objectPrefix,
                card.preset(),
                card.clipModelId(),
                card.conditioning(),
                card.imageSize(),
                card.conditionDim(),
                snapshotId,
                runId,
                card.bestValidation() == null ? null : card.bestValidation().total(),
                card.bestEpoch(),
                at,
                card.conditionNoise(),
                card.priorModelId());
    }

    public static ModelPublished prior(
            PriorCard card, String objectPrefix, String snapshotId, String runId, Instant at) {
        return new ModelPublished(
                ModelPublished.CURRENT_VERSION,
                ModelKind.PRIOR,
                card.modelId(),
                objectPrefix,
                null,
                card.clipModelId(),
                null,
                0,
                card.dimension(),
                snapshotId,
                runId,
                null,
                null,
                at,
                null,
                null);
    }

    public static ModelPublished clip(ClipCard card, String objectPrefix, Instant at) {
        return new ModelPublished(
                ModelPublished.CURRENT_VERSION,
                ModelKind.CLIP,
                card.modelId(),
                objectPrefix,
                null,
                null,
                null,
                card.imageSize(),
                card.embeddingDimension(),
                null,
                null,
                null,
                null,
                at,
                null,
                null);
    }
}
