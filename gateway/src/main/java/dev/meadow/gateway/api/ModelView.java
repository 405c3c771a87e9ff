package dev.meadow.gateway.api;

import java.time.Instant;
import java.util.List;

import dev.meadow.contracts.LossBreakdown;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.TrainingEvent;

/** A published model version as the API shows it, with its training curve when it was trained here. */
public record ModelView(
        String kind,
        String modelId,
        boolean active,
        String preset,
        String clipModelId,
        String conditioning,
        Double conditionNoise,
        int imageSize,
        int embeddingDimension,
        String snapshotId,
        String runId,
        Double bestValidationLoss,
        Integer bestEpoch,
        Instant publishedAt,
        List<CurvePoint> curve,
        String priorModelId) {

    /** One epoch of training: the training and validation loss with their parts. */
    public record CurvePoint(int epoch, LossBreakdown train, LossBreakdown validation) {}

    public static ModelView of(ModelPublished m, boolean active, List<TrainingEvent> epochs) {
        return new ModelView(
                m.kind().id(),
                m.modelId(),
                active,
                m.preset(),
                m.clipModelId(),
                m.conditioning() == null ? null : m.conditioning().id(),
                m.conditionNoise(),
                m.imageSize(),
                m.embeddingDimension(),
                m.snapshotId(),
                m.runId(),
                m.bestValidationLoss(),
                m.bestEpoch(),
                m.publishedAt(),
                epochs.stream()
                        .map(e -> new CurvePoint(e.epoch(), e.train(), e.validation()))
                        .toList(),
                m.priorModelId());
    }
}
