package dev.meadow.gateway.api;

import java.time.Instant;

import dev.meadow.contracts.ModelPublished;

/** A published model version as the API shows it. */
public record ModelView(String kind, String modelId, boolean active, String preset, String clipModelId,
        String conditioning, int imageSize, int embeddingDimension, String snapshotId, String runId,
        Double bestValidationLoss, Integer bestEpoch, Instant publishedAt) {

    public static ModelView of(ModelPublished m, boolean active) {
        return new ModelView(m.kind().id(), m.modelId(), active, m.preset(), m.clipModelId(),
                m.conditioning() == null ? null : m.conditioning().id(), m.imageSize(), m.embeddingDimension(),
                m.snapshotId(), m.runId(), m.bestValidationLoss(), m.bestEpoch(), m.publishedAt());
    }
}
