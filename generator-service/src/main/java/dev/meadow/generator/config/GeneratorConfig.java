package dev.meadow.generator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meadow.generator")
public interface GeneratorConfig {

    /** Parallel PNG encodes and uploads while the decoder works on the next chunk. */
    @WithDefault("8")
    int storeConcurrency();

    /** Decoder versions kept loaded besides the active one (for requests that pin a version). */
    @WithDefault("2")
    int pinnedVersions();

    /**
     * TensorFlow intra-op threads for the decoder (0: one per core). One by default: on a small machine the
     * decoder barely gains from a second thread, and leaving a core to PNG encoding, uploads and Kafka keeps every
     * op from waiting on a thread that another process preempted. Results are identical either way.
     */
    @WithDefault("1")
    int threads();
}
