package dev.meadow.model.cvae;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.LossBreakdown;

/**
 * {@code model.json}, the card beside an exported decoder: what it is, what it was trained on and against which
 * CLIP model, how training went, and the checksum of every file of the SavedModel.
 *
 * @param history the epochs of this run; a warm-started run's {@code warmStart} says what came before them
 * @param warmStart the run this one started from, or null
 * @param conditionNoise how far the decoder draws each picture's condition from the prompt's ({@link
 *     ConditionNoise}), chosen by evaluation after training; 0 (or absent, in older cards) draws the prompt's own
 * @param priorModelId the prior ({@code prior.json}) this decoder draws each picture's condition through, published
 *     and activated with it; null (and absent, in older cards) draws from the prompt's embedding
 */
public record DecoderCard(
        String format,
        int formatVersion,
        String modelId,
        String preset,
        int imageSize,
        int latentDim,
        int conditionDim,
        String clipModelId,
        ConditioningMode conditioning,
        TrainingSettings training,
        String dataset,
        int trainImages,
        int validationImages,
        int bestEpoch,
        LossBreakdown bestValidation,
        List<EpochReport> history,
        long parameters,
        Map<String, String> files,
        Instant createdAt,
        CvaeTraining.WarmStart warmStart,
        Double conditionNoise,
        String priorModelId) {

    public static final String FORMAT = "meadow-cvae-decoder";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "model.json";

    public DecoderCard {
        conditionNoise = conditionNoise == null ? 0.0 : conditionNoise;
    }

    /** This decoder under another id, drawing through prior {@code prior}; checksums as they are. */
    public DecoderCard pairedWith(String modelIdWithPrior, String prior) {
        return new DecoderCard(
                format,
                formatVersion,
                modelIdWithPrior,
                preset,
                imageSize,
                latentDim,
                conditionDim,
                clipModelId,
                conditioning,
                training,
                dataset,
                trainImages,
                validationImages,
                bestEpoch,
                bestValidation,
                history,
                parameters,
                files,
                createdAt,
                warmStart,
                conditionNoise,
                prior);
    }
}
