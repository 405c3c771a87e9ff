package dev.meadow.gateway.api;

import java.util.List;

/**
 * What the gateway queued for a submission: {@code total} images with job ids {@code <batchId>-000000} onwards.
 * {@code jobs} lists them for small submissions (up to 100 images).
 */
public record BatchAccepted(
        String batchId,
        int total,
        long seed,
        List<AcceptedJob> jobs,
        String statusUrl,
        String eventsUrl,
        String galleryUrl) {}
