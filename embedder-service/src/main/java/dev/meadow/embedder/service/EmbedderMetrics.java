package dev.meadow.embedder.service;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the embedder reports on {@code /q/metrics}: requests embedded, and how long CLIP took per batch.
 */
@Startup
@ApplicationScoped
public class EmbedderMetrics {

    private final Counter prompts;
    private final Timer encode;
    private final DistributionSummary batch;

    public EmbedderMetrics(MeterRegistry registry) {
        this.prompts = Counter.builder("meadow.embedder.prompts")
                .description("Generation requests embedded (counted once committed)")
                .register(registry);
        this.encode = Timer.builder("meadow.embedder.encode")
                .description("Time to encode the distinct prompts of one batch with CLIP's text tower")
                .publishPercentileHistogram()
                .register(registry);
        this.batch = DistributionSummary.builder("meadow.embedder.encode.batch")
                .description("Distinct prompts encoded together")
                .baseUnit("prompts")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(4096.0)
                .register(registry);
    }

    /** Encodes {@code distinct} prompts, timed. */
    public <T> T encode(int distinct, Supplier<T> work) {
        batch.record(distinct);
        return encode.record(work);
    }

    public void embedded(int requests) {
        prompts.increment(requests);
    }
}
