package dev.meadow.gateway.api;

import java.time.Instant;

/**
 * Where a batch stands. {@code queued} images wait for the decoder (embedded or not yet); {@code done} is
 * generated + failed + cancelled; the batch is {@code finished} when done reaches total.
 */
public record BatchProgress(
        String batchId,
        int total,
        int queued,
        int embedded,
        int generated,
        int failed,
        int cancelled,
        int done,
        double percent,
        boolean cancelRequested,
        boolean finished,
        String source,
        String firstPrompt,
        Instant submittedAt) {

    /** Where a batch of {@code total} images stands, from its counts. */
    public static BatchProgress of(
            String batchId,
            int total,
            int embedded,
            int generated,
            int failed,
            int cancelled,
            boolean cancelRequested,
            String source,
            String firstPrompt,
            Instant submittedAt) {
        int done = generated + failed + cancelled;
        return new BatchProgress(
                batchId,
                total,
                Math.max(0, total - done),
                Math.min(total, embedded),
                generated,
                failed,
                cancelled,
                done,
                total == 0 ? 0 : Math.round(1000.0 * done / total) / 10.0,
                cancelRequested,
                total > 0 && done >= total,
                source,
                firstPrompt,
                submittedAt);
    }

    /** The same totals, once a cancellation is durably requested (the view may not have read it yet). */
    public BatchProgress withCancelRequested() {
        return new BatchProgress(
                batchId,
                total,
                queued,
                embedded,
                generated,
                failed,
                cancelled,
                done,
                percent,
                true,
                finished,
                source,
                firstPrompt,
                submittedAt);
    }
}
