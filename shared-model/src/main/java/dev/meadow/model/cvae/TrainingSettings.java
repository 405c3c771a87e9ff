package dev.meadow.model.cvae;

import java.util.function.Consumer;

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
 * @param adversarialWeight weight of the adversarial term: a patch critic, trained alongside, tells reconstructions
 *     from originals, and the decoder is pulled towards pictures it takes for originals (0 leaves both out)
 * @param klWeight weight of the KL term ({@value #PAPER_KL_WEIGHT} in the paper): lower lets z carry more of each
 *     picture, and so the seed more of what is drawn
 * @param clipViewScale how the CLIP-consistency term sees each reconstruction: 1 (and absent, as in cards from
 *     before it) through {@link ClipViews}' small reflected shifts; below 1 through {@link ClipCrop}s whose side is at
 *     least this share of the picture's
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
        Float perceptualWeight,
        Float adversarialWeight,
        Float klWeight,
        Float clipViewScale) {

    public static final float PAPER_KL_WEIGHT = 0.5f;

    public TrainingSettings {
        // Cards and checkpoints written before the term existed have no weight: theirs was the paper's loss.
        // -0 is 0 too, so that it resumes a run trained with 0.
        clipWeight = clipWeight == null || clipWeight == 0f ? 0f : clipWeight;
        perceptualWeight = perceptualWeight == null || perceptualWeight == 0f ? 0f : perceptualWeight;
        adversarialWeight = adversarialWeight == null || adversarialWeight == 0f ? 0f : adversarialWeight;
        klWeight = klWeight == null ? PAPER_KL_WEIGHT : (klWeight == 0f ? 0f : klWeight);
        clipViewScale = clipViewScale == null ? 1f : clipViewScale;
    }

    /** Whether the loss needs the frozen conditioning CLIP's image tower. */
    public boolean needsClipTower() {
        return clipWeight > 0 || perceptualWeight > 0;
    }

    public static TrainingSettings defaults() {
        return new TrainingSettings(20, 32, 1e-3f, 42, 0.2f, 0.1, 0, 0.75f, 0f, 0f, 0f, PAPER_KL_WEIGHT, 1f);
    }

    public TrainingSettings withEpochs(int e) {
        return with(copy -> copy.epochs = e);
    }

    public TrainingSettings withBatchSize(int b) {
        return with(copy -> copy.batchSize = b);
    }

    public TrainingSettings withSeed(long s) {
        return with(copy -> copy.seed = s);
    }

    public TrainingSettings withLatentDropout(float d) {
        return with(copy -> copy.latentDropout = d);
    }

    public TrainingSettings withLearningRate(float lr) {
        return with(copy -> copy.learningRate = lr);
    }

    public TrainingSettings withThreads(int t) {
        return with(copy -> copy.threads = t);
    }

    public TrainingSettings withValidationFraction(double fraction) {
        return with(copy -> copy.validationFraction = fraction);
    }

    public TrainingSettings withNoiseScale(float xi) {
        return with(copy -> copy.noiseScale = xi);
    }

    public TrainingSettings withClipWeight(float w) {
        return with(copy -> copy.clipWeight = w);
    }

    public TrainingSettings withPerceptualWeight(float w) {
        return with(copy -> copy.perceptualWeight = w);
    }

    public TrainingSettings withAdversarialWeight(float w) {
        return with(copy -> copy.adversarialWeight = w);
    }

    public TrainingSettings withKlWeight(float w) {
        return with(copy -> copy.klWeight = w);
    }

    public TrainingSettings withClipViewScale(float smallest) {
        return with(copy -> copy.clipViewScale = smallest);
    }

    private TrainingSettings with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.settings();
    }

    /** A mutable copy, so that each {@code with...} names only the setting it changes. */
    private static final class Copy {
        int epochs;
        int batchSize;
        float learningRate;
        long seed;
        float latentDropout;
        double validationFraction;
        int threads;
        float noiseScale;
        float clipWeight;
        float perceptualWeight;
        float adversarialWeight;
        float klWeight;
        float clipViewScale;

        Copy(TrainingSettings s) {
            epochs = s.epochs;
            batchSize = s.batchSize;
            learningRate = s.learningRate;
            seed = s.seed;
            latentDropout = s.latentDropout;
            validationFraction = s.validationFraction;
            threads = s.threads;
            noiseScale = s.noiseScale;
            clipWeight = s.clipWeight;
            perceptualWeight = s.perceptualWeight;
            adversarialWeight = s.adversarialWeight;
            klWeight = s.klWeight;
            clipViewScale = s.clipViewScale;
        }

        TrainingSettings settings() {
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
                    perceptualWeight,
                    adversarialWeight,
                    klWeight,
                    clipViewScale);
        }
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
        require(Float.isFinite(adversarialWeight), "adversarial weight must be a finite number");
        require(adversarialWeight >= 0, "adversarial weight must not be negative");
        require(Float.isFinite(klWeight), "KL weight must be a finite number");
        require(klWeight > 0, "KL weight must be positive (without it z is no longer drawn from the prior)");
        require(clipViewScale > 0 && clipViewScale <= 1, "the smallest CLIP view scale must be in (0, 1]");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
