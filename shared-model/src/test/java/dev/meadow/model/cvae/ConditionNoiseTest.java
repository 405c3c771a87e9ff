package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ConditionNoiseTest {

    private static final float[] PROMPT = prompt();

    @Test
    void noNoiseLeavesTheConditionAsItIs() {
        assertThat(ConditionNoise.perturb(PROMPT, 0f, 7)).isSameAs(PROMPT);
    }

    @Test
    void theSameSeedDrawsTheSameNeighbourAndOtherSeedsOthers() {
        float[] a = ConditionNoise.perturb(PROMPT, 0.5f, 7);
        assertThat(ConditionNoise.perturb(PROMPT, 0.5f, 7)).containsExactly(a);
        assertThat(ConditionNoise.perturb(PROMPT, 0.5f, 8)).isNotEqualTo(a);
        assertThat(cosine(a, ConditionNoise.perturb(PROMPT, 0.5f, 8))).isLessThan(0.99);
    }

    @Test
    void theNeighbourKeepsTheLengthAndMovesFurtherWithMoreNoise() {
        double previous = 1;
        for (float xi : new float[] {0.25f, 0.5f, 1f, 2f}) {
            float[] near = ConditionNoise.perturb(PROMPT, xi, 3);
            assertThat(norm(near)).isCloseTo(norm(PROMPT), within(1e-4));
            double cos = cosine(near, PROMPT);
            // A random direction in 256 dimensions is nearly orthogonal: cos is about 1 / sqrt(1 + xi^2).
            assertThat(cos).isCloseTo(1 / Math.sqrt(1 + xi * xi), within(0.1)).isLessThan(previous);
            previous = cos;
        }
    }

    @Test
    void noiseOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> ConditionNoise.perturb(PROMPT, -0.1f, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("condition noise must be between 0 and 4.0");
        assertThatThrownBy(() -> ConditionNoise.check(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConditionNoise.perturb(new float[][] {PROMPT}, 0.5f, new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 conditions but 2 seeds");
    }

    private static float[] prompt() {
        Random random = new Random(42);
        float[] v = new float[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * 0.06f;
        }
        return v;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }
}
