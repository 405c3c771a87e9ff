package dev.meadow.generator.config;

import dev.meadow.model.tf.Precision;
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

    /**
     * {@code auto}: bf16 where the CPU has native bf16 instructions (AVX512_BF16, AMX) and oneDNN is on, else
     * fp32. bf16 decodes the shipped decoder 1.5x as fast on such a CPU and draws the same pictures within 62 dB
     * PSNR, 54 dB for the worst of 1,000 images; {@code fp32} draws the reference pictures exactly.
     */
    @WithDefault("auto")
    Precision precision();
}
