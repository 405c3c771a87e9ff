package dev.meadow.model.prior;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code prior.json}, the card beside an exported prior: what it draws (image embeddings of the CLIP it names, from
 * that CLIP's text embeddings), its network and sampler, how training went, and the checksum of every file.
 *
 * @param samplingSteps the deterministic DDIM steps a draw takes
 * @param validation on held-out pairs: how close a draw comes to its caption's own image, against how close the
 *     caption's text embedding itself is (what a decoder without a prior is given)
 */
public record PriorCard(
        String format,
        int formatVersion,
        String modelId,
        String clipModelId,
        int dimension,
        int width,
        int blocks,
        int samplingSteps,
        String dataset,
        int trainPairs,
        int validationPairs,
        List<Epoch> history,
        Validation validation,
        long seed,
        Map<String, String> files,
        Instant createdAt) {

    public static final String FORMAT = "meadow-prior";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "prior.json";

    public PriorCard {
        history = history == null ? List.of() : List.copyOf(history);
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    /** One epoch: the mean denoising loss on the training pairs and on the held-out ones. */
    public record Epoch(int epoch, double loss, double validationLoss, double seconds) {}

    /**
     * @param drawToImage mean cosine between a draw for a held-out caption and that caption's image embedding
     * @param textToImage mean cosine between the caption's text embedding and its image embedding
     * @param drawSpread mean 1 - cos between two draws of one caption
     * @param imageSpread mean 1 - cos between the image embeddings of two held-out images whose captions match
     *     nothing in particular: the spread of the image embeddings themselves, for scale
     */
    public record Validation(double drawToImage, double textToImage, double drawSpread, double imageSpread) {}
}
