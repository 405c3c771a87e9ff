package dev.meadow.embedder.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.Topics;
import dev.meadow.embedder.service.ClipRuntime;
import dev.meadow.embedder.service.EmbedderMetrics;
import dev.meadow.embedder.service.PromptEmbedding;
import dev.meadow.service.messaging.DeadLetters;
import dev.meadow.service.messaging.KafkaBatches;
import dev.meadow.service.tracing.RequestTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.OutgoingKafkaRecord;
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

    private static final AttributeKey<String> CLIP = AttributeKey.stringKey("meadow.clip.model");

    /** A batch's outcome and when its embedding ran, which is when each of its requests was embedded. */
    private record Embedded(PromptEmbedding.Outcome outcome, Instant start, Instant end) {}

    private final KafkaTransactions<byte[]> embeddings;
    private final PromptEmbedding embedding;
    private final ClipRuntime clip;
    private final EmbedderMetrics metrics;
    private final RequestTracing tracing;

    public PromptConsumer(
            @Channel("embeddings") KafkaTransactions<byte[]> embeddings,
            PromptEmbedding embedding,
            ClipRuntime clip,
            EmbedderMetrics metrics,
            RequestTracing tracing) {
        this.embeddings = embeddings;
        this.embedding = embedding;
        this.clip = clip;
        this.metrics = metrics;
        this.tracing = tracing;
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
                                .item(() -> {
                                    Instant start = Instant.now();
                                    return new Embedded(embedding.embed(records), start, Instant.now());
                                })
                                .runSubscriptionOn(worker)
                                .invoke(done -> {
                                    PromptEmbedding.Outcome outcome = done.outcome();
                                    committed.set(outcome);
                                    Map<String, Context> traces = tracing.carriedBy(records);
                                    for (EmbeddedPrompt e : outcome.embedded()) {
                                        tx.send(traced(e, traces.get(e.request().jobId()), done));
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
                    }
                });
    }

    /** The embedding's record, carrying a span of the request's trace for its share of the batch. */
    private OutgoingKafkaRecord<String, byte[]> traced(EmbeddedPrompt e, Context trace, Embedded batch) {
        Span span = tracing.finished(
                "embed prompt",
                trace,
                batch.start(),
                batch.end(),
                Attributes.of(
                        RequestTracing.JOB_ID,
                        e.request().jobId(),
                        RequestTracing.BATCH_ID,
                        e.request().batchId(),
                        CLIP,
                        e.clipModelId(),
                        RequestTracing.BATCH_SIZE,
                        (long) batch.outcome().embedded().size()));
        OutgoingKafkaRecord<String, byte[]> record = KafkaRecord.of(e.request().jobId(), Topics.EMBEDDINGS.encode(e));
        for (Map.Entry<String, String> header : tracing.headersFor(span).entrySet()) {
            record = record.withHeader(header.getKey(), header.getValue());
        }
        return record;
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
