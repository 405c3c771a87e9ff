package dev.meadow.model.clip;

/**
 * How Meadow's CLIP is trained.
 *
 * @param heldOutPairs image/caption pairs kept out of training to measure retrieval
 * @param minWordCount words seen fewer times than this in the captions become {@code [UNK]}
 */
public record ClipTrainingSettings(
        int epochs,
        int batchSize,
        float learningRate,
        long seed,
        int dimension,
        int imageSize,
        int contextLength,
        int heldOutPairs,
        int minWordCount,
        int threads,
        Boolean twins) {

    /** Settings from before twins were recorded trained on shuffled single images. */
    public ClipTrainingSettings {
        twins = twins != null && twins;
    }

    public static ClipTrainingSettings defaults() {
        return new ClipTrainingSettings(12, 64, 1e-3f, 1, 256, 64, 32, 100, 2, 0, false);
    }

    public ClipTrainingSettings withEpochs(int e) {
        return new ClipTrainingSettings(
                e,
                batchSize,
                learningRate,
                seed,
                dimension,
                imageSize,
                contextLength,
                heldOutPairs,
                minWordCount,
                threads,
                twins);
    }

    public ClipTrainingSettings withSeed(long s) {
        return new ClipTrainingSettings(
                epochs,
                batchSize,
                learningRate,
                s,
                dimension,
                imageSize,
                contextLength,
                heldOutPairs,
                minWordCount,
                threads,
                twins);
    }

    public ClipTrainingSettings withDimension(int d) {
        return new ClipTrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                d,
                imageSize,
                contextLength,
                heldOutPairs,
                minWordCount,
                threads,
                twins);
    }

    public ClipTrainingSettings withImageSize(int s) {
        return new ClipTrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                dimension,
                s,
                contextLength,
                heldOutPairs,
                minWordCount,
                threads,
                twins);
    }

    public ClipTrainingSettings withHeldOutPairs(int n) {
        return new ClipTrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                dimension,
                imageSize,
                contextLength,
                n,
                minWordCount,
                threads,
                twins);
    }

    public ClipTrainingSettings withBatchSize(int b) {
        return new ClipTrainingSettings(
                epochs,
                b,
                learningRate,
                seed,
                dimension,
                imageSize,
                contextLength,
                heldOutPairs,
                minWordCount,
                threads,
                twins);
    }

    /**
     * With twins, images 2k and 2k+1 of the training data (a data set of {@code meadow synth --twins}) always share
     * a batch: each is the other's hard negative.
     */
    public ClipTrainingSettings withTwins(boolean value) {
        return new ClipTrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                dimension,
                imageSize,
                contextLength,
                heldOutPairs,
                minWordCount,
                threads,
                value);
    }

    public ClipTrainingSettings withThreads(int t) {
        return new ClipTrainingSettings(
                epochs,
                batchSize,
                learningRate,
                seed,
                dimension,
                imageSize,
                contextLength,
                heldOutPairs,
                minWordCount,
                t,
                twins);
    }

    void validate() {
        if (epochs < 1
                || batchSize < 2
                || learningRate <= 0
                || dimension < 2
                || imageSize < 16
                || imageSize % 16 != 0
                || contextLength < 4
                || heldOutPairs < 2
                || minWordCount < 1) {
            throw new IllegalArgumentException("invalid CLIP training settings: " + this);
        }
    }
}
