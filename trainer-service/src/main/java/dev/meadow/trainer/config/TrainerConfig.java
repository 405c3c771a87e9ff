package dev.meadow.trainer.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meadow.trainer")
public interface TrainerConfig {

    /** TensorFlow intra-op threads for training (0: one per core). */
    @WithDefault("0")
    int threads();

    /** First wait before a snapshot that failed for a passing reason (an outage) is tried again; it doubles. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Longest wait between tries of a snapshot. */
    @WithDefault("60s")
    Duration maxRetryBackoff();
}
