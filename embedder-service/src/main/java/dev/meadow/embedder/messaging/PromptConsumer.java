package dev.meadow.embedder.messaging;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import dev.meadow.embedder.service.ClipRuntime;
import dev.meadow.embedder.service.EmbedderMetrics;
import dev.meadow.embedder.service.PromptEmbedding;
import dev.meadow.service.messaging.DeadLetters;
import dev.meadow.service.messaging.KafkaBatches;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * {@code prompts} to {@code embeddings}, exactly once: each batch's embeddings, its dead letters and its consumed
 * offsets are committed in one Kafka transaction, so a crash mid-batch neither loses nor duplicates a request.
 */
@ApplicationScoped
public class PromptConsumer {

    private final KafkaTransactions<byte[]> embeddings;
    private final PromptEmbedding embedding;
    private final ClipRuntime clip;
    private final EmbedderMetrics metrics;

    public PromptConsumer(
            @Channel("embeddings") KafkaTransactions<byte[]> embeddings,
            PromptEmbedding embedding,
            ClipRuntime clip,
            EmbedderMetrics metrics) {
        this.embeddings = embeddings;
        this.embedding = embedding;
        this.clip = clip;
        this.metrics = metrics;
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "prompt-embedding"));

    @Incoming("prompts")
    public Uni<Void> consume(Message<List<byte[]>> batch) {
        List<ConsumerRecord<String, byte[]>> records = KafkaBatches.records(batch);
        AtomicReference<PromptEmbedding.Outcome> committed = new AtomicReference<>();
        return clip.awaitModel()
                .chain(() -> embeddings.withTransactionAndAck(
                        batch,
                        tx -> Uni.createFrom()
                                .item(() -> embedding.embed(records))
                                .runSubscriptionOn(worker)
                                .invoke(outcome -> {
                                    committed.set(outcome);
                                    for (EmbeddedPrompt e : outcome.embedded()) {
                                        tx.send(KafkaRecord.of(e.request().jobId(), Topics.EMBEDDINGS.encode(e)));
                                    }
                                    // Reported here, since no generator will see them.
                                    for (GenerationResult c : outcome.cancelled()) {
                                        tx.send(Message.of(Topics.GENERATIONS.encode(c))
                                                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                                        .withTopic(Topics.GENERATIONS.name())
                                                        .withKey(c.jobId())
                                                        .build()));
                                    }
                                    for (PromptEmbedding.Rejected r : outcome.rejected()) {
                                        tx.send(DeadLetters.of(r.record(), r.reason()));
                                    }
                                })
                                .replaceWithVoid()))
                // Counted once committed: a batch that aborts is redelivered, and would be counted twice.
                .invoke(() -> {
                    if (committed.get() != null) {
                        metrics.embedded(committed.get().embedded().size());
                        metrics.cancelled(committed.get().cancelled().size());
                    }
                });
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
