package dev.meadow.embedder.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.InvalidMessageException;
import dev.meadow.contracts.Topics;
import dev.meadow.embedder.config.EmbedderConfig;
import dev.meadow.model.clip.Slerp;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Embeds a batch of generation requests: each distinct prompt once, in micro-batches. Requests of cancelled
 * batches are embedded too: only generators write results, and they answer those requests cancelled without
 * decoding them.
 */
@ApplicationScoped
public class PromptEmbedding {

    /** What a batch became: embedded requests, and records that go to the dead-letter topic with a reason. */
    public record Outcome(List<EmbeddedPrompt> embedded, List<Rejected> rejected) {}

    public record Rejected(ConsumerRecord<String, byte[]> record, String reason) {}

    private final ClipRuntime clip;
    private final EmbedderConfig config;
    private final EmbedderMetrics metrics;

    public PromptEmbedding(ClipRuntime clip, EmbedderConfig config, EmbedderMetrics metrics) {
        this.clip = clip;
        this.config = config;
        this.metrics = metrics;
    }

    public Outcome embed(List<ConsumerRecord<String, byte[]>> records) {
        List<GenerationRequest> requests = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                requests.add(Topics.PROMPTS.decode(record.value()));
            } catch (InvalidMessageException e) {
                rejected.add(new Rejected(record, e.getMessage()));
            }
        }
        if (requests.isEmpty()) {
            return new Outcome(List.of(), rejected);
        }
        Map<String, float[]> byPrompt = new LinkedHashMap<>();
        for (GenerationRequest r : requests) {
            byPrompt.put(r.prompt(), null);
            if (r.towards() != null) {
                byPrompt.put(r.towards().prompt(), null);
            }
        }
        List<String> prompts = new ArrayList<>(byPrompt.keySet());
        long start = System.nanoTime();
        String clipModelId = metrics.encode(
                prompts.size(),
                () -> clip.use(model -> {
                    for (int from = 0; from < prompts.size(); from += config.microBatchSize()) {
                        List<String> chunk =
                                prompts.subList(from, Math.min(prompts.size(), from + config.microBatchSize()));
                        float[][] vectors = model.encodeText(chunk);
                        for (int i = 0; i < chunk.size(); i++) {
                            byPrompt.put(chunk.get(i), vectors[i]);
                        }
                    }
                    return model.modelId();
                }));
        long millisEach = Math.max(1, (System.nanoTime() - start) / 1_000_000 / requests.size());
        Instant now = Instant.now();
        List<EmbeddedPrompt> embedded = new ArrayList<>(requests.size());
        for (GenerationRequest request : requests) {
            float[] embedding = byPrompt.get(request.prompt());
            if (request.towards() != null) {
                embedding = Slerp.between(
                        embedding,
                        byPrompt.get(request.towards().prompt()),
                        request.towards().weight());
            }
            embedded.add(EmbeddedPrompt.of(request, embedding, clipModelId, millisEach, now));
        }
        return new Outcome(embedded, rejected);
    }
}
