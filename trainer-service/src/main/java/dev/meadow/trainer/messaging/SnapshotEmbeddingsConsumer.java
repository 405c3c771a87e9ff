package dev.meadow.trainer.messaging;

import dev.meadow.contracts.InvalidMessageException;
import dev.meadow.contracts.SnapshotEmbeddings;
import dev.meadow.contracts.Topics;
import dev.meadow.service.messaging.DeadLetters;
import dev.meadow.trainer.service.TrainingJob;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The training queue: one snapshot at a time, in order, on a worker thread. The offset is committed only when a
 * training has finished (or failed for good), so a trainer killed mid-run gets the snapshot again and resumes it
 * from its checkpoint. Training for hours is fine: the connector keeps polling (paused) while the worker trains,
 * and the {@code latest} commit strategy has no unprocessed-record age limit. An outage while training is retried
 * until it passes, so that no snapshot is acknowledged (and lost) without a {@code finished} or {@code failed} event.
 */
@ApplicationScoped
public class SnapshotEmbeddingsConsumer {

    private final TrainingJob training;
    private final MutinyEmitter<byte[]> deadLetters;

    public SnapshotEmbeddingsConsumer(
            TrainingJob training, @Channel("snapshot-embeddings-dlq") MutinyEmitter<byte[]> deadLetters) {
        this.training = training;
        this.deadLetters = deadLetters;
    }

    @Incoming("snapshot-embeddings")
    @Blocking
    public void consume(byte[] payload, IncomingKafkaRecordMetadata<String, byte[]> record) {
        SnapshotEmbeddings embedded;
        try {
            embedded = Topics.SNAPSHOT_EMBEDDINGS.decode(payload);
        } catch (InvalidMessageException e) {
            deadLetters
                    .sendMessage(DeadLetters.of(
                            record.getTopic(),
                            record.getPartition(),
                            record.getOffset(),
                            record.getKey(),
                            payload,
                            e.getMessage()))
                    .await()
                    .indefinitely();
            return;
        }
        training.trainUntilSettled(embedded);
    }
}
