package dev.meadow.gateway.api;

import java.time.Instant;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Towards;

/**
 * A generated image and how it was made.
 *
 * @param priorModelId the prior that drew the picture's condition, or null when none did
 */
public record ImageView(
        String jobId,
        String batchId,
        int index,
        String prompt,
        long seed,
        String modelVersion,
        String clipModelId,
        int width,
        int height,
        long embedMillis,
        long decodeMillis,
        long endToEndMillis,
        Instant completedAt,
        String imageUrl,
        String pageUrl,
        Towards towards,
        Integer candidates,
        String priorModelId) {

    public static ImageView of(GenerationResult r) {
        var t = r.timings();
        return new ImageView(
                r.jobId(),
                r.batchId(),
                r.index(),
                r.prompt(),
                r.seed(),
                r.modelVersion(),
                r.clipModelId(),
                r.width(),
                r.height(),
                t == null ? 0 : t.embedMillis(),
                t == null ? 0 : t.decodeMillis(),
                t == null ? 0 : t.endToEndMillis(),
                r.completedAt(),
                "/api/images/" + r.jobId() + "/png",
                "/images/" + r.jobId(),
                r.towards(),
                r.candidates(),
                r.priorModelId());
    }
}
