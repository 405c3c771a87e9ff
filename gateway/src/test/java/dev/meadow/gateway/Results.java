package dev.meadow.gateway;

import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.TopicWriter;

/** Writes a result as a generator does, after the submission of its batch that the gateway would have queued. */
final class Results {

    private Results() {}

    /** The gallery shows only jobs of batches it knows, below their totals: a batch of one result. */
    static void send(TopicWriter writer, GenerationResult result) {
        send(writer, result, result.index() + 1);
    }

    /** A result of a batch of {@code total} (announced once: the first submission counts). */
    static void send(TopicWriter writer, GenerationResult result, int total) {
        BatchSubmitted batch = BatchSubmitted.of(result.batchId(), total, "api", result.prompt(), result.completedAt());
        writer.send(Topics.BATCHES.name(), batch.key(), Topics.BATCHES.encode(batch));
        writer.send(Topics.GENERATIONS.name(), result.jobId(), Topics.GENERATIONS.encode(result));
    }
}
