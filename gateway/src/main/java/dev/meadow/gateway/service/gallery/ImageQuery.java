package dev.meadow.gateway.service.gallery;

import java.time.Instant;

/**
 * What a gallery listing is narrowed to; every part is optional.
 *
 * @param words words the prompt must contain (English stemming: "cows" finds "cow")
 * @param from images completed at or after this instant
 * @param to images completed before this instant
 */
public record ImageQuery(String words, String batchId, String modelVersion, Long seed, Instant from, Instant to) {

    public static final ImageQuery ALL = new ImageQuery(null, null, null, null, null, null);

    public static ImageQuery ofBatch(String batchId) {
        return new ImageQuery(null, batchId, null, null, null, null);
    }

    public ImageQuery {
        words = blankToNull(words);
        batchId = blankToNull(batchId);
        modelVersion = blankToNull(modelVersion);
    }

    public boolean isAll() {
        return words == null && batchId == null && modelVersion == null && seed == null && from == null && to == null;
    }

    /** Only the batch is given: its count of images is kept with the batch. */
    public boolean isBatchOnly() {
        return batchId != null && words == null && modelVersion == null && seed == null && from == null && to == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
