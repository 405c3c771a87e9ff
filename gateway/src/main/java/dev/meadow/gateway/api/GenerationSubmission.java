package dev.meadow.gateway.api;

/**
 * Body of {@code POST /api/generations}.
 *
 * @param prompt what to draw
 * @param seed latent seed of the first image; random when absent. Variant {@code i} uses {@code seed + i}.
 * @param count how many images (variants) of this prompt; 1 when absent
 * @param modelVersion a CVAE version to use instead of the active one
 */
public record GenerationSubmission(String prompt, Long seed, Integer count, String modelVersion) {
}
