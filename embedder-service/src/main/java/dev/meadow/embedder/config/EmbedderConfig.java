package dev.meadow.embedder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meadow.embedder")
public interface EmbedderConfig {

    /** Prompts encoded by CLIP in one call. */
    @WithDefault("64")
    int microBatchSize();

    /** TensorFlow intra-op threads for CLIP (0: one per core); one leaves the other cores to the decoders. */
    @WithDefault("1")
    int threads();
}
