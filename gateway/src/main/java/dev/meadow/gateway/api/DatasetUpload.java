package dev.meadow.gateway.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset upload, as the form gives it.
 *
 * @param archive a zip of JPEG/PNG images (with {@code captions.jsonl} unless {@code annotations} is given)
 * @param annotations a COCO captions JSON file, or null
 * @param keywords keep only images with a caption containing one of these words (whole words)
 * @param prior whether to train a prior with the decoder; null: the default ({@link
 *     dev.meadow.contracts.TrainingRequest#trainsPrior})
 */
public record DatasetUpload(
        String name,
        Path archive,
        long archiveSize,
        Path annotations,
        List<String> keywords,
        String preset,
        String conditioning,
        Integer epochs,
        Integer batchSize,
        Double learningRate,
        Long seed,
        boolean activate,
        Boolean prior) {}
