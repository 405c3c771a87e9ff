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
 * @param perceptualWeight weight of the perceptual term, the squared distance between the frozen conditioning
 *     CLIP's early image features of each reconstruction and of its original (0 leaves it out)
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
        Float clipWeight,
        Float perceptualWeight) {

    public TrainingSettings {
        // Cards and checkpoints written before the term existed have no weight: theirs was the paper's loss.
        // -0 is 0 too, so that it resumes a run trained with 0.
        clipWeight = clipWeight == null || clipWeight == 0f ? 0f : clipWeight;
        perceptualWeight = perceptualWeight == null || perceptualWeight == 0f ? 0f : perceptualWeight;
    }

    /** Whether the loss needs the frozen conditioning CLIP's image tower. */
    public boolean needsClipTower() {
        return clipWeight > 0 || perceptualWeight > 0;
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(20, 32, 1e-3f, 42, 0.2f, 0.1, 0, 0.75f, 0f, 0f);
    }

    public TrainingSettings withEpochs(int e) {
        return new TrainingSettings(
                e,
                batchSize,
                learningRate,
                seed,
                latentDropout,
                validationFraction,
                threads,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withBatchSize(int b) {
        return new TrainingSettings(
                epochs,
                b,
                learningRate,
                seed,
                latentDropout,
                validationFraction,
                threads,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                s,
                latentDropout,
                validationFraction,
                threads,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withLatentDropout(float d) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                d,
                validationFraction,
                threads,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withLearningRate(float lr) {
        return new TrainingSettings(
                epochs,
                batchSize,
                lr,
                seed,
                latentDropout,
                validationFraction,
                threads,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withThreads(int t) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                latentDropout,
                validationFraction,
                t,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withValidationFraction(double fraction) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                latentDropout,
                fraction,
                threads,
                noiseScale,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withNoiseScale(float xi) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                latentDropout,
                validationFraction,
                threads,
                xi,
                clipWeight,
                perceptualWeight);
    }

    public TrainingSettings withClipWeight(float w) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                latentDropout,
                validationFraction,
                threads,
                noiseScale,
                w,
                perceptualWeight);
    }

    public TrainingSettings withPerceptualWeight(float w) {
        return new TrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                latentDropout,
                validationFraction,
                threads,
                noiseScale,
                clipWeight,
                w);
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
        require(Float.isFinite(perceptualWeight), "perceptual weight must be a finite number");
        require(perceptualWeight >= 0, "perceptual weight must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
