package dev.meadow.embedder.messaging;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.InvalidMessageException;
import dev.meadow.contracts.SnapshotEmbeddings;
import dev.meadow.contracts.Topics;
import dev.meadow.dataset.InvalidSnapshotException;
import dev.meadow.embedder.service.ClipRuntime;
import dev.meadow.embedder.service.SnapshotEmbedding;
import dev.meadow.service.messaging.DeadLetters;
import dev.meadow.service.messaging.KafkaBatches;
import dev.meadow.storage.ObjectNotFoundException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * {@code dataset-snapshots} to {@code snapshot-embeddings}, one snapshot per transaction. A snapshot whose files
 * are missing or malformed goes to the dead-letter topic with the reason; the queue keeps moving.
 */
@ApplicationScoped
public class SnapshotConsumer {

    private static final Logger LOG = Logger.getLogger(SnapshotConsumer.class);

    private final KafkaTransactions<byte[]> out;
    private final SnapshotEmbedding embedding;
    private final ClipRuntime clip;

    public SnapshotConsumer(
            @Channel("snapshot-embeddings") KafkaTransactions<byte[]> out,
            SnapshotEmbedding embedding,
            ClipRuntime clip) {
        this.out = out;
        this.embedding = embedding;
        this.clip = clip;
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "snapshot-embedding"));

    @Incoming("dataset-snapshots")
    public Uni<Void> consume(Message<List<byte[]>> batch) {
        List<ConsumerRecord<String, byte[]>> records = KafkaBatches.records(batch);
        return clip.awaitModel()
                .chain(() -> out.withTransactionAndAck(
                        batch,
                        tx -> Uni.createFrom()
                                .item(() -> records.stream().map(this::process).toList())
                                .runSubscriptionOn(worker)
                                .invoke(messages -> messages.forEach(tx::send))
                                .replaceWithVoid()));
    }

    private Message<byte[]> process(ConsumerRecord<String, byte[]> record) {
        DatasetSnapshot snapshot;
        try {
            snapshot = Topics.DATASET_SNAPSHOTS.decode(record.value());
        } catch (InvalidMessageException e) {
            return DeadLetters.of(record, e.getMessage());
        }
        try {
            SnapshotEmbeddings embedded = embedding.embed(snapshot);
            return KafkaRecord.of(snapshot.snapshotId(), Topics.SNAPSHOT_EMBEDDINGS.encode(embedded));
        } catch (InvalidSnapshotException | ObjectNotFoundException e) {
            LOG.errorf("Snapshot %s cannot be embedded: %s", snapshot.snapshotId(), e.getMessage());
            return DeadLetters.of(
                    record, "snapshot " + snapshot.snapshotId() + " cannot be embedded: " + e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
