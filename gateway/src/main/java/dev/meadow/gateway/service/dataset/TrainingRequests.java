package dev.meadow.gateway.service.dataset;

import java.util.List;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.model.cvae.CvaePreset;

/** The training an upload asks for: what its form says, the configured defaults for what it leaves out, checked. */
public final class TrainingRequests {

    private TrainingRequests() {}

    /** @throws UploadRejectedException naming the first thing the form got wrong */
    public static TrainingRequest of(DatasetUpload upload, GatewayConfig.Datasets settings) {
        String preset = blank(upload.preset()) ? settings.defaultPreset() : upload.preset();
        try {
            CvaePreset.named(preset);
        } catch (IllegalArgumentException e) {
            throw UploadRejectedException.invalid(e.getMessage());
        }
        ConditioningMode mode;
        try {
            mode = ConditioningMode.fromId(
                    blank(upload.conditioning()) ? settings.defaultConditioning() : upload.conditioning());
        } catch (IllegalArgumentException e) {
            throw UploadRejectedException.invalid(e.getMessage());
        }
        int epochs = upload.epochs() == null ? settings.defaultEpochs() : upload.epochs();
        if (epochs < 1 || epochs > settings.maxEpochs()) {
            throw UploadRejectedException.invalid("epochs must be between 1 and " + settings.maxEpochs());
        }
        TrainingRequest request = new TrainingRequest(
                preset,
                mode,
                epochs,
                upload.batchSize() == null ? settings.defaultBatchSize() : upload.batchSize(),
                upload.learningRate() == null ? settings.defaultLearningRate() : upload.learningRate(),
                upload.seed() == null ? settings.defaultSeed() : upload.seed(),
                settings.validationFraction(),
                upload.activate(),
                upload.prior());
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            throw UploadRejectedException.invalid(String.join("; ", problems));
        }
        return request;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
