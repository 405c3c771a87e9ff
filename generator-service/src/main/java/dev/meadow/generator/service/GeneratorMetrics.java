package dev.meadow.generator.service;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import dev.meadow.contracts.GenerationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the generator reports on {@code /q/metrics}: images by outcome, and histograms of decode time, decode batch
 * size, PNG encoding and upload time (Prometheus buckets, so that percentiles can be taken across instances).
 */
@Startup
@ApplicationScoped
public class GeneratorMetrics {

    private final Map<GenerationResult.Status, Counter> answered = new EnumMap<>(GenerationResult.Status.class);
    private final Timer decode;
    private final DistributionSummary decodeBatch;
    private final Timer encode;
    private final Timer upload;

    public GeneratorMetrics(MeterRegistry registry) {
        this.decode = Timer.builder("meadow.generator.decode")
                .description("Time to decode one batch of pictures (best of N: all candidates and their reranking)")
                .publishPercentileHistogram()
                .register(registry);
        this.decodeBatch = DistributionSummary.builder("meadow.generator.decode.batch")
                .description("Prompts decoded together in one batch")
                .baseUnit("prompts")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1024.0)
                .register(registry);
        this.encode = Timer.builder("meadow.generator.png.encode")
                .description("Time to encode one PNG with its metadata")
                .publishPercentileHistogram()
                .register(registry);
        this.upload = Timer.builder("meadow.generator.upload")
                .description("Time to store one PNG in the object store, retries included")
                .publishPercentileHistogram()
                .register(registry);
        // Every series from the start, at 0.
        for (GenerationResult.Status status : GenerationResult.Status.values()) {
            answered.put(
                    status,
                    Counter.builder("meadow.generator.images")
                            .description("Requests answered, by status")
                            .tag("status", status.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    /** Runs one decode of {@code prompts} prompts, timed. */
    public <T> T decode(int prompts, Supplier<T> work) {
        decodeBatch.record(prompts);
        return decode.record(work);
    }

    public <T> T encode(Supplier<T> work) {
        return encode.record(work);
    }

    public void upload(Runnable work) {
        upload.record(work);
    }

    /** One request answered, whatever became of it; counted once its result is committed. */
    public void answered(GenerationResult.Status status) {
        answered.get(status).increment();
    }
}
