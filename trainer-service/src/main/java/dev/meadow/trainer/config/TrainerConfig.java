package dev.meadow.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "meadow.trainer")
public interface TrainerConfig {

    /** TensorFlow intra-op threads for training (0: one per core). */
    @WithDefault("0")
    int threads();
}
