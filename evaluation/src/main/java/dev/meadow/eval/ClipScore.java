package dev.meadow.eval;

import dev.meadow.model.clip.Retrieval;

/**
 * How well images match their prompts in CLIP space.
 *
 * @param meanCosine mean cosine of each image embedding and its prompt embedding
 * @param clipScore the CLIPScore form of Hessel et al.: mean of 2.5 * max(cos, 0)
 */
public record ClipScore(double meanCosine, double clipScore) {

    public static final double WEIGHT = 2.5;

    /** {@code images[i]} is judged against {@code prompts[i]}; both L2-normalised. */
    public static ClipScore of(float[][] images, float[][] prompts) {
        if (images.length != prompts.length || images.length == 0) {
            throw new IllegalArgumentException("need one prompt per image, and at least one of each");
        }
        double cosines = 0;
        double scores = 0;
        for (int i = 0; i < images.length; i++) {
            double cos = Retrieval.dot(images[i], prompts[i]);
            cosines += cos;
            scores += WEIGHT * Math.max(cos, 0);
        }
        return new ClipScore(cosines / images.length, scores / images.length);
    }
}
