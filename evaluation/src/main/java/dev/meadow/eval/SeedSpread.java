package dev.meadow.eval;

import dev.meadow.contracts.EvalReport;
import dev.meadow.model.clip.Retrieval;

/**
 * How much the pictures of one prompt differ from seed to seed, in judge space (see
 * {@link EvalReport.Diversity}). A decoder that ignores its latent scores near 0 however well its single draws
 * follow the prompt.
 */
public final class SeedSpread {

    private SeedSpread() {}

    /** {@code embeddings[p][d]}: the judge's L2-normalised embedding of draw d of prompt p. */
    public static EvalReport.Diversity of(float[][][] embeddings) {
        int prompts = embeddings.length;
        if (prompts < 2) {
            throw new IllegalArgumentException("seed spread needs at least two prompts, not " + prompts);
        }
        int draws = embeddings[0].length;
        if (draws < 2) {
            throw new IllegalArgumentException("seed spread needs at least two draws per prompt, not " + draws);
        }
        double within = 0;
        long withinPairs = 0;
        for (float[][] drawsOfPrompt : embeddings) {
            if (drawsOfPrompt.length != draws) {
                throw new IllegalArgumentException("every prompt needs " + draws + " draws");
            }
            for (int a = 0; a < draws; a++) {
                for (int b = a + 1; b < draws; b++) {
                    within += 1 - Retrieval.dot(drawsOfPrompt[a], drawsOfPrompt[b]);
                    withinPairs++;
                }
            }
        }
        double between = 0;
        long betweenPairs = 0;
        for (int p = 0; p < prompts; p++) {
            for (int q = p + 1; q < prompts; q++) {
                between += 1 - Retrieval.dot(embeddings[p][0], embeddings[q][0]);
                betweenPairs++;
            }
        }
        return new EvalReport.Diversity(prompts, draws, within / withinPairs, between / betweenPairs);
    }
}
