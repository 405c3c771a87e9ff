package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A model version whose files are complete in the models bucket under {@code objectPrefix}.
 *
 * @param clipModelId for a CVAE or a prior, the CLIP model whose embeddings it was trained on
 * @param conditioning for a CVAE, how it was conditioned while training
 * @param imageSize the decoder's output size, or the CLIP image encoder's input size (0 for a prior, which draws
 *     no pictures)
 * @param embeddingDimension the CLIP embedding size (the condition size of a CVAE)
 * @param runId the training run that produced it, if any
 * @param conditionNoise for a CVAE, how far it draws each picture's condition from the prompt's (null: not at all,
 *     as in events from before it was recorded)
 * @param priorModelId for a CVAE, the prior it draws each picture's condition through (published beside it, and
 *     activated with it), or null: it draws from the prompt's embedding
 */
public record ModelPublished(
        int version,
        ModelKind kind,
        String modelId,
        String objectPrefix,
        String preset,
        String clipModelId,
        ConditioningMode conditioning,
        int imageSize,
        int embeddingDimension,
        String snapshotId,
        String runId,
        Double bestValidationLoss,
        Integer bestEpoch,
        Instant publishedAt,
        Double conditionNoise,
        String priorModelId)
        implements ModelEvent {

    public static final int CURRENT_VERSION = 1;

    @Override
    public String key() {
        return kind.id() + "/" + modelId;
    }

    @Override
    public List<String> problems() {
        Checks checks = Checks.of(version, CURRENT_VERSION)
                .present("kind", kind)
                .id("modelId", modelId)
                .text("objectPrefix", objectPrefix, 1024)
                .range("imageSize", imageSize, kind == ModelKind.PRIOR ? 0 : 8, 4096)
                .range("embeddingDimension", embeddingDimension, 1, 65_536)
                .present("publishedAt", publishedAt);
        if (kind == ModelKind.CVAE) {
            checks.id("clipModelId", clipModelId)
                    .id("preset", preset)
                    .present("conditioning", conditioning)
                    .optionalId("priorModelId", priorModelId);
        } else if (kind == ModelKind.PRIOR) {
            checks.id("clipModelId", clipModelId);
        }
        return checks.problems();
    }
}
