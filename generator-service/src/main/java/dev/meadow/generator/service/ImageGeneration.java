package dev.meadow.generator.service;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.GenerationResult.Status;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.image.GenerationMetadata;
import dev.meadow.image.Png;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.Sampling;
import dev.meadow.service.models.ModelRefusedException;
import dev.meadow.service.tracing.RequestTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns embedded prompts into stored PNGs. Requests are grouped by the decoder they need and decoded in chunks;
 * while the decoder works on the next chunk, the finished images are encoded and uploaded in parallel. Requests for
 * best of N are decoded N times and the candidate that the decoder's own CLIP finds closest to the prompt is kept.
 */
@ApplicationScoped
public class ImageGeneration {

    /** Candidate pictures per reranked chunk: their uploads start while the decoder works on the next chunk. */
    private static final int RERANKED_PICTURES = 256;

    private final DecoderRuntime decoders;
    private final ImageStore images;
    private final GeneratorConfig config;
    private final GeneratorMetrics metrics;
    private final CancelledBatches cancelled;
    private final RerankingClips clips;
    private final RequestTracing tracing;

    public ImageGeneration(
            DecoderRuntime decoders,
            ImageStore images,
            GeneratorConfig config,
            GeneratorMetrics metrics,
            CancelledBatches cancelled,
            RerankingClips clips,
            RequestTracing tracing) {
        this.decoders = decoders;
        this.images = images;
        this.config = config;
        this.metrics = metrics;
        this.cancelled = cancelled;
        this.clips = clips;
        this.tracing = tracing;
    }

    private static final AttributeKey<String> DECODER = AttributeKey.stringKey("meadow.decoder.model");
    private static final AttributeKey<Long> CANDIDATES = AttributeKey.longKey("meadow.candidates");
    private static final AttributeKey<String> KEY = AttributeKey.stringKey("meadow.image.key");
    private static final AttributeKey<Long> BYTES = AttributeKey.longKey("meadow.image.bytes");

    private ExecutorService uploads;

    @PostConstruct
    void init() {
        uploads = Executors.newFixedThreadPool(config.storeConcurrency(), r -> {
            Thread t = new Thread(r, "image-upload");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One result per request, in request order. Requests of cancelled batches are reported, not decoded.
     *
     * @param traces each request's trace context, in request order: its decoding and upload become spans there
     */
    public List<GenerationResult> generate(List<EmbeddedPrompt> prompts, List<Context> traces) {
        if (traces.size() != prompts.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + traces.size() + " trace contexts");
        }
        List<CompletableFuture<GenerationResult>> results = new ArrayList<>(prompts.size());
        Map<String, List<Integer>> byDecoder = new LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            GenerationRequest request = prompts.get(i).request();
            if (cancelled.isCancelled(request.batchId())) {
                results.add(CompletableFuture.completedFuture(GenerationResult.failed(
                        request, Status.CANCELLED, "batch " + request.batchId() + " was cancelled", Instant.now())));
                continue;
            }
            results.add(null);
            byDecoder
                    .computeIfAbsent(
                            request.modelVersion() == null ? "" : request.modelVersion(), v -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<String, List<Integer>> group : byDecoder.entrySet()) {
            String version = group.getKey().isEmpty() ? null : group.getKey();
            List<Integer> indexes = group.getValue();
            Optional<Boolean> served;
            try {
                served = decoders.use(version, decoder -> {
                    decodeGroup(decoder, prompts, traces, indexes, results);
                    return true;
                });
            } catch (ModelRefusedException e) {
                // Broken files stay broken: fail these requests with the reason rather than the batch, which
                // would be redelivered for ever and stall its partition.
                failUnserved(prompts, indexes, results, "decoder " + version + " cannot be loaded: " + e.reason());
                continue;
            }
            if (served.isEmpty()) {
                for (int i : indexes) {
                    results.set(
                            i,
                            CompletableFuture.completedFuture(GenerationResult.failed(
                                    prompts.get(i).request(),
                                    Status.FAILED,
                                    version == null
                                            ? "no decoder is active"
                                            : "model version " + version + " is not published",
                                    Instant.now())));
                }
            }
        }
        return results.stream().map(CompletableFuture::join).toList();
    }

    private void decodeGroup(
            Decoder decoder,
            List<EmbeddedPrompt> prompts,
            List<Context> traces,
            List<Integer> indexes,
            List<CompletableFuture<GenerationResult>> results) {
        List<Integer> decodable = new ArrayList<>();
        for (int i : indexes) {
            String problem = incompatibility(decoder, prompts.get(i));
            if (problem == null) {
                decodable.add(i);
            } else {
                results.set(
                        i,
                        CompletableFuture.completedFuture(GenerationResult.failed(
                                prompts.get(i).request(), Status.FAILED, problem, Instant.now())));
            }
        }
        Map<DrawingKind, List<Integer>> byKind = new LinkedHashMap<>();
        for (int i : decodable) {
            GenerationRequest request = prompts.get(i).request();
            byKind.computeIfAbsent(
                            new DrawingKind(request.candidateCount(), request.throughPrior()), k -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<DrawingKind, List<Integer>> group : byKind.entrySet()) {
            Sampling sampling = decoder.sampling().withPrior(group.getKey().throughPrior());
            if (group.getKey().candidates() == 1) {
                decodeOnce(decoder, sampling, prompts, traces, group.getValue(), results);
            } else {
                decodeBestOf(
                        group.getKey().candidates(), decoder, sampling, prompts, traces, group.getValue(), results);
            }
        }
    }

    /** Requests drawn alike: the latents each draws, and whether through the decoder's prior. */
    private record DrawingKind(int candidates, boolean throughPrior) {}

    /** The prior that draws with {@code sampling}, or null. */
    private static String priorOf(Decoder decoder, Sampling sampling) {
        return sampling.prior() && decoder.prior() != null ? decoder.prior().modelId() : null;
    }

    private void decodeOnce(
            Decoder decoder,
            Sampling sampling,
            List<EmbeddedPrompt> prompts,
            List<Context> traces,
            List<Integer> indexes,
            List<CompletableFuture<GenerationResult>> results) {
        int dim = decoder.conditionDim();
        for (int from = 0; from < indexes.size(); from += Decoder.RUN_SIZE) {
            List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + Decoder.RUN_SIZE));
            float[] conditions = new float[chunk.size() * dim];
            long[] seeds = new long[chunk.size()];
            for (int k = 0; k < chunk.size(); k++) {
                EmbeddedPrompt prompt = prompts.get(chunk.get(k));
                System.arraycopy(prompt.embedding(), 0, conditions, k * dim, dim);
                seeds[k] = prompt.request().seed();
            }
            Instant started = Instant.now();
            long start = System.nanoTime();
            List<BufferedImage> pictures =
                    metrics.decode(chunk.size(), () -> decoder.decodeImages(conditions, seeds, sampling));
            long elapsed = System.nanoTime() - start;
            long decodeMillis = Math.max(1, elapsed / 1_000_000 / chunk.size());
            Instant decoded = started.plusNanos(elapsed);
            for (int k = 0; k < chunk.size(); k++) {
                int index = chunk.get(k);
                BufferedImage picture = pictures.get(k);
                long seed = seeds[k];
                Context trace = traces.get(index);
                traceDecoding(trace, prompts.get(index), decoder, chunk.size(), 1, started, decoded);
                results.set(
                        index,
                        CompletableFuture.supplyAsync(
                                () -> store(prompts.get(index), trace, picture, seed, decoder, sampling, decodeMillis),
                                uploads));
            }
        }
    }

    private void decodeBestOf(
            int candidates,
            Decoder decoder,
            Sampling sampling,
            List<EmbeddedPrompt> prompts,
            List<Context> traces,
            List<Integer> indexes,
            List<CompletableFuture<GenerationResult>> results) {
        String clipModelId = decoder.card().clipModelId();
        int promptsPerChunk = Math.max(1, RERANKED_PICTURES / candidates);
        Optional<Boolean> served;
        try {
            served = clips.use(clipModelId, clip -> {
                ClipReranker reranker = new ClipReranker(decoder, clip);
                for (int from = 0; from < indexes.size(); from += promptsPerChunk) {
                    List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + promptsPerChunk));
                    float[][] conditions = new float[chunk.size()][];
                    long[] seeds = new long[chunk.size()];
                    for (int k = 0; k < chunk.size(); k++) {
                        conditions[k] = prompts.get(chunk.get(k)).embedding();
                        seeds[k] = prompts.get(chunk.get(k)).request().seed();
                    }
                    Instant started = Instant.now();
                    long start = System.nanoTime();
                    List<ClipReranker.Choice> choices = metrics.decode(
                            chunk.size(), () -> reranker.decode(conditions, seeds, sampling, candidates));
                    long elapsed = System.nanoTime() - start;
                    long decodeMillis = Math.max(1, elapsed / 1_000_000 / chunk.size());
                    Instant decoded = started.plusNanos(elapsed);
                    for (int k = 0; k < chunk.size(); k++) {
                        int index = chunk.get(k);
                        ClipReranker.Choice choice = choices.get(k);
                        Context trace = traces.get(index);
                        traceDecoding(trace, prompts.get(index), decoder, chunk.size(), candidates, started, decoded);
                        results.set(
                                index,
                                CompletableFuture.supplyAsync(
                                        () -> store(
                                                prompts.get(index),
                                                trace,
                                                choice.image(),
                                                choice.seed(),
                                                decoder,
                                                sampling,
                                                decodeMillis),
                                        uploads));
                    }
                }
                return true;
            });
        } catch (ModelRefusedException e) {
            // A broken CLIP fails these requests, not the batch (which would be redelivered forever); anything
            // transient, such as the object store being down while it is fetched, fails the batch for a retry.
            failUnserved(
                    prompts,
                    indexes,
                    results,
                    "best of " + candidates + " could not use CLIP " + clipModelId + ": " + e.reason());
            return;
        }
        if (served.isEmpty()) {
            failUnserved(
                    prompts,
                    indexes,
                    results,
                    "best of " + candidates + " needs CLIP " + clipModelId + ", which decoder "
                            + decoder.card().modelId() + " was trained against, and it is not published");
        }
    }

    private static void failUnserved(
            List<EmbeddedPrompt> prompts,
            List<Integer> indexes,
            List<CompletableFuture<GenerationResult>> results,
            String reason) {
        for (int i : indexes) {
            if (results.get(i) == null) {
                results.set(
                        i,
                        CompletableFuture.completedFuture(GenerationResult.failed(
                                prompts.get(i).request(), Status.FAILED, reason, Instant.now())));
            }
        }
    }

    /** A span of the request's trace for its share of a decoded chunk. */
    private void traceDecoding(
            Context parent,
            EmbeddedPrompt prompt,
            Decoder decoder,
            int chunkSize,
            int candidates,
            Instant started,
            Instant decoded) {
        tracing.finished(
                "decode image",
                parent,
                started,
                decoded,
                Attributes.of(
                        RequestTracing.JOB_ID,
                        prompt.request().jobId(),
                        DECODER,
                        decoder.card().modelId(),
                        RequestTracing.BATCH_SIZE,
                        (long) chunkSize,
                        CANDIDATES,
                        (long) candidates));
    }

    /**
     * {@code seed}: the seed the picture was drawn from (its latent and condition noise), the request's own unless
     * best of N kept another.
     */
    private GenerationResult store(
            EmbeddedPrompt prompt,
            Context trace,
            BufferedImage picture,
            long seed,
            Decoder decoder,
            Sampling sampling,
            long decodeMillis) {
        Span span = tracing.start("store image", trace);
        // Current while it runs, so that the encoding and upload timers can point at this trace (exemplars).
        try (Scope current = span.makeCurrent()) {
            return store(prompt, picture, seed, decoder, sampling, decodeMillis, span);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private GenerationResult store(
            EmbeddedPrompt prompt,
            BufferedImage picture,
            long seed,
            Decoder decoder,
            Sampling sampling,
            long decodeMillis,
            Span span) {
        GenerationRequest request = prompt.request();
        String modelId = decoder.card().modelId();
        String prior = priorOf(decoder, sampling);
        GenerationMetadata metadata = new GenerationMetadata(
                request.prompt(),
                seed,
                picture.getWidth(),
                picture.getHeight(),
                modelId,
                prompt.clipModelId(),
                decoder.card().conditioning().id(),
                request.jobId(),
                request.towards(),
                // A prior draws the condition in place of the noise.
                prior == null ? (double) sampling.conditionNoise() : null,
                prior);
        byte[] png = metrics.encode(() -> Png.encode(picture, metadata.textChunks()));
        String key = images.imageKey(request.jobId());
        span.setAllAttributes(Attributes.of(KEY, key, BYTES, (long) png.length));
        metrics.upload(() -> images.put(key, png));
        Instant done = Instant.now();
        return GenerationResult.succeeded(
                        request,
                        seed,
                        key,
                        picture.getWidth(),
                        picture.getHeight(),
                        modelId,
                        prompt.clipModelId(),
                        new GenerationResult.Timings(
                                prompt.embedMillis(),
                                decodeMillis,
                                Math.max(
                                        0,
                                        done.toEpochMilli()
                                                - request.submittedAt().toEpochMilli())),
                        done)
                .withPriorModelId(prior);
    }

    /** Why a decoder cannot serve a prompt's embedding, or null when it can. */
    static String incompatibility(Decoder decoder, EmbeddedPrompt prompt) {
        if (prompt.embedding().length != decoder.conditionDim()) {
            return "the prompt's embedding has " + prompt.embedding().length + " dimensions but decoder "
                    + decoder.card().modelId() + " takes " + decoder.conditionDim();
        }
        if (!prompt.clipModelId().equals(decoder.card().clipModelId())) {
            return "the prompt was embedded with CLIP " + prompt.clipModelId() + " but decoder "
                    + decoder.card().modelId() + " was trained against "
                    + decoder.card().clipModelId();
        }
        return null;
    }

    @PreDestroy
    void stop() {
        uploads.shutdownNow();
    }
}
