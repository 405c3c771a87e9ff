package dev.meadow.gateway.api;

import java.time.Instant;

/**
 * Where a batch stands. {@code queued} images wait for the decoder (embedded or not yet); {@code done} is
 * generated + failed + cancelled; the batch is {@code finished} when done reaches total.
 */
public record BatchProgress(String batchId, int total, int queued, int embedded, int generated, int failed,
        int cancelled, int done, double percent, boolean cancelRequested, boolean finished, String source,
        String firstPrompt, Instant submittedAt) {

    /** The same totals, once a cancellation is durably requested (the view may not have read it yet). */
    public BatchProgress withCancelRequested() {
        return new BatchProgress(batchId, total, queued, embedded, generated, failed, cancelled, done, percent, true,
                finished, source, firstPrompt, submittedAt);
    }
}
