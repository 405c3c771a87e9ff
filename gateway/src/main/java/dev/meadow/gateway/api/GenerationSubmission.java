package dev.meadow.gateway.api;

/**
 * Body of {@code POST /api/generations}.
 *
 * @param prompt what to draw
 * @param seed latent seed of the first image; random when absent. Variant {@code i} uses {@code seed + i}.
 * @param count how many images (variants) of this prompt; 1 when absent
 * @param modelVersion a CVAE version to use instead of the active one
 * @param towards a second prompt: instead of variants, a strip of {@code steps} images with one seed whose condition
 *     moves from the prompt's embedding to this one's along the sphere
 * @param steps images in the strip (default 5)
 * @param candidates best of N: each image is the one of N latents (1-64) that the decoder's CLIP finds closest to
 *     the prompt; its seed is the one reported with the image. 1 when absent
 * @param prior false draws each picture's condition from the prompt's embedding even where the decoder has a
 *     prior (the pictures of the decoder without one); true or absent draws it through the prior
 */
public record GenerationSubmission(
        String prompt,
        Long seed,
        Integer count,
        String modelVersion,
        String towards,
        Integer steps,
        Integer candidates,
        Boolean prior) {

    public GenerationSubmission(String prompt, Long seed, Integer count, String modelVersion) {
        this(prompt, seed, count, modelVersion, null, null, null, null);
    }
}
