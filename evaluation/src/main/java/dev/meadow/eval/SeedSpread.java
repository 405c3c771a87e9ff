package dev.meadow.eval;

import dev.meadow.contracts.EvalReport;
import dev.meadow.model.clip.Retrieval;

/**
 * How much the pictures of one prompt differ from seed to seed, in judge space (see
 * {@link EvalReport.Diversity}). A decoder that ignores its latent scores near 0 however well its single draws
 * follow the prompt.
 */
public final class SeedSpread {

    /** How far apart two vectors are. */
    @FunctionalInterface
    interface Distance {

        double between(float[] a, float[] b);

        /** For L2-normalised embeddings. */
        Distance COSINE = (a, b) -> 1 - Retrieval.dot(a, b);

        /** For pictures as pixel values: the root mean square difference. */
        Distance RMS = (a, b) -> {
            if (a.length != b.length) {
                throw new IllegalArgumentException("pictures of " + a.length + " and " + b.length + " values");
            }
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sum += d * d;
            }
            return Math.sqrt(sum / a.length);
        };
    }

    private SeedSpread() {}

    /** {@code embeddings[p][d]}: the judge's L2-normalised embedding of draw d of prompt p. */
    public static EvalReport.Diversity of(float[][][] embeddings) {
        double[] distances = distances(embeddings, Distance.COSINE);
        return new EvalReport.Diversity(embeddings.length, embeddings[0].length, distances[0], distances[1]);
    }

    /**
     * {@code [within, between]}: the mean distance between two draws of one prompt, and between the first draws of
     * two prompts.
     */
    static double[] distances(float[][][] vectors, Distance distance) {
        int prompts = vectors.length;
        if (prompts < 2) {
            throw new IllegalArgumentException("seed spread needs at least two prompts, not " + prompts);
        }
        int draws = vectors[0].length;
        if (draws < 2) {
            throw new IllegalArgumentException("seed spread needs at least two draws per prompt, not " + draws);
        }
        double within = 0;
        long withinPairs = 0;
        for (float[][] drawsOfPrompt : vectors) {
            if (drawsOfPrompt.length != draws) {
                throw new IllegalArgumentException("every prompt needs " + draws + " draws");
            }
            for (int a = 0; a < draws; a++) {
                for (int b = a + 1; b < draws; b++) {
                    within += distance.between(drawsOfPrompt[a], drawsOfPrompt[b]);
                    withinPairs++;
                }
            }
        }
        double between = 0;
        long betweenPairs = 0;
        for (int p = 0; p < prompts; p++) {
            for (int q = p + 1; q < prompts; q++) {
                between += distance.between(vectors[p][0], vectors[q][0]);
                betweenPairs++;
            }
        }
        return new double[] {within / withinPairs, between / betweenPairs};
    }
}
