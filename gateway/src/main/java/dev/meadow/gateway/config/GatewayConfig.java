package dev.meadow.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits and behaviour of the public API. */
@ConfigMapping(prefix = "meadow.gateway")
public interface GatewayConfig {

    /** Longest prompt accepted, in characters. CLIP reads 77 tokens; longer prompts are truncated by it. */
    @WithDefault("500")
    int maxPromptLength();

    /** Most images one prompt may ask for. */
    @WithDefault("16")
    int maxVariants();
}
