package dev.meadow.model.cvae;

import java.util.Random;

/**
 * Draws a condition from a neighbourhood of a prompt's embedding, one per seed, as LAFITE perturbs image embeddings
 * in training: {@code c + xi |c| eps / |eps|}, brought back to the length of {@code c}, with {@code eps} a standard
 * normal vector drawn from the picture's seed. A decoder conditioned on CLIP image embeddings takes the picture's
 * layout from the condition, so the latent alone barely varies it (docs/evaluation.md, "Seed spread"); the
 * neighbourhood does. 0 leaves the condition as it is.
 */
public final class ConditionNoise {

    /** Beyond this the noise outweighs the prompt many times over: R@1 is near chance already at 2. */
    public static final float MAX = 4f;

    private ConditionNoise() {}

    /** Throws an {@link IllegalArgumentException} naming the setting when {@code xi} is not in [0, {@link #MAX}]. */
    public static void check(float xi) {
        if (!(xi >= 0 && xi <= MAX)) {
            throw new IllegalArgumentException("condition noise must be between 0 and " + MAX + ", not " + xi);
        }
    }

    /** {@code condition} for the picture drawn with {@code seed}; the same three inputs give the same output. */
    public static float[] perturb(float[] condition, float xi, long seed) {
        check(xi);
        if (xi == 0) {
            return condition;
        }
        // Mixed so that neighbouring seeds (seed + i) give unrelated directions.
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + 17);
        double[] eps = new double[condition.length];
        double epsNorm = 0;
        double norm = 0;
        for (int i = 0; i < condition.length; i++) {
            eps[i] = random.nextGaussian();
            epsNorm += eps[i] * eps[i];
            norm += condition[i] * condition[i];
        }
        norm = Math.sqrt(norm);
        epsNorm = Math.sqrt(epsNorm);
        float[] out = new float[condition.length];
        double outNorm = 0;
        for (int i = 0; i < condition.length; i++) {
            out[i] = (float) (condition[i] + xi * norm * eps[i] / epsNorm);
            outNorm += out[i] * out[i];
        }
        outNorm = Math.sqrt(outNorm);
        for (int i = 0; i < condition.length; i++) {
            out[i] = (float) (out[i] / outNorm * norm);
        }
        return out;
    }

    /** Each row of {@code conditions} perturbed with the seed of its picture. */
    public static float[][] perturb(float[][] conditions, float xi, long[] seeds) {
        if (conditions.length != seeds.length) {
            throw new IllegalArgumentException(conditions.length + " conditions but " + seeds.length + " seeds");
        }
        float[][] out = new float[conditions.length][];
        for (int i = 0; i < conditions.length; i++) {
            out[i] = perturb(conditions[i], xi, seeds[i]);
        }
        return out;
    }
}
