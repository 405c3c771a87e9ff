package dev.meadow.generator.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.InvalidMessageException;
import dev.meadow.contracts.Topics;
import dev.meadow.generator.service.DecoderRuntime;
import dev.meadow.generator.service.GeneratorMetrics;
import dev.meadow.generator.service.ImageGeneration;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.service.messaging.DeadLetters;
import dev.meadow.service.messaging.KafkaBatches;
import dev.meadow.service.tracing.RequestTracing;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * {@code embeddings} to {@code generations}, exactly once. The results of a batch, its dead letters and its
 * consumed offsets commit in one Kafka transaction: if this instance dies mid-batch the transaction never commits,
 * another instance of the consumer group takes the partitions over from the last committed offsets, and every
 * request still ends with exactly one result (images are written under keys derived from the job id, so a
 * rewrite replaces rather than duplicates). Decoding runs on its own thread, never on the event loop.
 */
@ApplicationScoped
public class EmbeddingConsumer {

    private final KafkaTransactions<byte[]> generations;
    private final ImageGeneration generation;
    private final DecoderRuntime decoders;
    private final ServiceConfig service;
    private final GeneratorMetrics metrics;
    private final RequestTracing tracing;

    public EmbeddingConsumer(
            @Channel("generations") KafkaTransactions<byte[]> generations,
            ImageGeneration generation,
            DecoderRuntime decoders,
            ServiceConfig service,
            GeneratorMetrics metrics,
            RequestTracing tracing) {
        this.generations = generations;
        this.generation = generation;
        this.decoders = decoders;
        this.service = service;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** What a batch became: the records to send, and the results among them, counted once they commit. */
    private record Processed(List<Message<byte[]>> messages, List<GenerationResult> results) {}

    private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> new Thread(r, "decoder"));

    @Incoming("embeddings")
    public Uni<Void> consume(Message<List<byte[]>> batch) {
        List<ConsumerRecord<String, byte[]>> records = KafkaBatches.records(batch);
        AtomicReference<List<GenerationResult>> committed = new AtomicReference<>(List.of());
        return decoders.awaitModel()
                .chain(() -> generations.withTransactionAndAck(
                        batch,
                        tx -> Uni.createFrom()
                                .item(() -> process(records))
                                .runSubscriptionOn(decoder)
                                .invoke(processed -> {
                                    processed.messages().forEach(tx::send);
                                    committed.set(processed.results());
                                })
                                .replaceWithVoid()))
                // Counted once committed: a batch that aborts is redelivered, and would be counted twice.
                .invoke(() -> committed.get().forEach(result -> metrics.answered(result.status())));
    }

    private Processed process(List<ConsumerRecord<String, byte[]>> records) {
        List<Message<byte[]>> out = new ArrayList<>(records.size());
        List<EmbeddedPrompt> prompts = new ArrayList<>(records.size());
        List<Context> traces = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                prompts.add(Topics.EMBEDDINGS.decode(record.value()));
                traces.add(tracing.carriedBy(record));
            } catch (InvalidMessageException e) {
                out.add(DeadLetters.of(record, e.getMessage()));
            }
        }
        List<GenerationResult> results = generation.generate(prompts, traces);
        for (GenerationResult result : results) {
            out.add(KafkaRecord.of(result.jobId(), Topics.GENERATIONS.encode(result))
                    .withHeader(GenerationResult.GENERATOR_HEADER, service.instanceId()));
        }
        return new Processed(out, results);
    }

    @PreDestroy
    void stop() {
        decoder.shutdownNow();
    }
}
