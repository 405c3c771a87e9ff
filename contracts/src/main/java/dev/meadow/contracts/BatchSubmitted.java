package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A submission: {@code total} generation requests with job ids {@code <batchId>-000000} onwards, published in the
 * same Kafka transaction as this record.
 *
 * @param source how it came in: {@code api}, {@code batch-json}, {@code batch-jsonl}, {@code batch-text},
 *        {@code gallery}
 */
public record BatchSubmitted(
        int version, String batchId, int total, String source, String firstPrompt, Instant submittedAt)
        implements BatchEvent {

    public static final int CURRENT_VERSION = 1;

    public static BatchSubmitted of(String batchId, int total, String source, String firstPrompt, Instant at) {
        return new BatchSubmitted(CURRENT_VERSION, batchId, total, source, firstPrompt, at);
    }

    @Override
    public String key() {
        return batchId + "/submitted";
    }

    @Override
    public List<String> problems() {
        return Checks.of(version, CURRENT_VERSION)
                .id("batchId", batchId)
                .range("total", total, 1, Integer.MAX_VALUE)
                .text("source", source, 40)
                .present("submittedAt", submittedAt)
                .problems();
    }
}
