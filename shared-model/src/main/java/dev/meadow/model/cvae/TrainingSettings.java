package dev.meadow.model.cvae;

/**
 * How a CVAE is trained.
 *
 * @param latentDropout dropout rate on z while training (0 disables it)
 * @param validationFraction share of images held out for validation
 * @param threads TensorFlow intra-op threads (0: one per core)
 * @param noiseScale LAFITE's xi, the strength of the noise in the {@code image+noise} conditioning mode
 * @param clipWeight weight of the CLIP-consistency term, {@code w (1 - cos)} between the conditioning CLIP's
 *     embedding of each reconstruction (seen through a random {@link ClipViews} view) and its condition (0 leaves
 *     it out: the paper's loss)
 */
public record TrainingSettings(
        int epochs,
        int batchSize,
        float learningRate,
        long seed,
        float latentDropout,
        double validationFraction,
        int threads,
        float noiseScale,
        Float clipWeight) {

    public TrainingSettings {
        // Cards and checkpoints written before the term existed have no weight: theirs was the paper's loss.
        // -0 is 0 too, so that it resumes a run trained with 0.
        clipWeight = clipWeight == null || clipWeight == 0f ? 0f : clipWeight;
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(20, 32, 1e-3f, 42, 0.2f, 0.1, 0, 0.75f, 0f);
    }

    public TrainingSettings withEpochs(int e) {
        return new TrainingSettings(
                e, batchSize, learningRate, seed, latentDropout, validationFraction, threads, noiseScale, clipWeight);
    }

    public TrainingSettings withBatchSize(int b) {
        return new TrainingSettings(
                epochs, b, learningRate, seed, latentDropout, validationFraction, threads, noiseScale, clipWeight);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, s, latentDropout, validationFraction, threads, noiseScale, clipWeight);
    }

    public TrainingSettings withLatentDropout(float d) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, d, validationFraction, threads, noiseScale, clipWeight);
    }

    public TrainingSettings withLearningRate(float lr) {
        return new TrainingSettings(
                epochs, batchSize, lr, seed, latentDropout, validationFraction, threads, noiseScale, clipWeight);
    }

    public TrainingSettings withThreads(int t) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, latentDropout, validationFraction, t, noiseScale, clipWeight);
    }

    public TrainingSettings withValidationFraction(double fraction) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, latentDropout, fraction, threads, noiseScale, clipWeight);
    }

    public TrainingSettings withNoiseScale(float xi) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, latentDropout, validationFraction, threads, xi, clipWeight);
    }

    public TrainingSettings withClipWeight(float w) {
        return new TrainingSettings(
                epochs, batchSize, learningRate, seed, latentDropout, validationFraction, threads, noiseScale, w);
    }

    public void validate() {
        require(epochs >= 1, "epochs must be at least 1");
        require(batchSize >= 2, "batch size must be at least 2 (batch norm needs a batch)");
        require(learningRate > 0 && learningRate < 1, "learning rate must be in (0, 1)");
        require(latentDropout >= 0 && latentDropout < 1, "latent dropout must be in [0, 1)");
        require(validationFraction > 0 && validationFraction < 0.9, "validation fraction must be in (0, 0.9)");
        require(noiseScale >= 0, "noise scale must not be negative");
        require(Float.isFinite(clipWeight), "CLIP-consistency weight must be a finite number");
        require(clipWeight >= 0, "CLIP-consistency weight must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
