package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void identicalSetsAreAtDistanceZero() {
        float[][] set = gaussian(400, 16, 0, 1, 1);
        assertThat(FrechetDistance.between(set, set)).isCloseTo(0, within(1e-9));
    }

    @Test
    void shiftingEveryVectorAddsTheSquaredShift() {
        float[][] set = gaussian(300, 8, 0, 1, 2);
        float[][] shifted = new float[set.length][8];
        for (int i = 0; i < set.length; i++) {
            for (int j = 0; j < 8; j++) {
                shifted[i][j] = set[i][j] + (j == 3 ? 2f : 0f) + (j == 5 ? -1f : 0f);
            }
        }
        // Same covariance, means apart by (2, -1): distance 4 + 1.
        assertThat(FrechetDistance.between(set, shifted)).isCloseTo(5, within(1e-6));
    }

    @Test
    void matchesTheClosedFormForDiagonalCovariances() {
        // For diagonal covariances the trace term is sum (sqrt(a) - sqrt(b))^2.
        var first =
                new FrechetDistance.Gaussian(new double[] {0, 0, 0}, new double[][] {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}});
        var second =
                new FrechetDistance.Gaussian(new double[] {1, 0, 0}, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        double expected = 1 + (2 - 1) * (2 - 1) + 0 + (3 - 1) * (3 - 1);
        assertThat(FrechetDistance.between(first, second)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void matchesTheClosedFormForCommutingRotatedCovariances() {
        // S1 = R diag(4, 1) R^T and S2 = R diag(1, 9) R^T share eigenvectors: trace term (2-1)^2 + (1-3)^2 = 5.
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        var first = new FrechetDistance.Gaussian(new double[] {0, 0}, rotated(c, s, 4, 1));
        var second = new FrechetDistance.Gaussian(new double[] {0, 0}, rotated(c, s, 1, 9));
        assertThat(FrechetDistance.between(first, second)).isCloseTo(5, within(1e-9));
    }

    @Test
    void sampleEstimateApproachesTheTrueDistance() {
        // N(0, I) against N(0, 4I) in 4 dimensions: 4 * (1 - 2)^2 = 4.
        float[][] narrow = gaussian(20_000, 4, 0, 1, 3);
        float[][] wide = gaussian(20_000, 4, 0, 2, 4);
        assertThat(FrechetDistance.between(narrow, wide)).isCloseTo(4, within(0.15));
    }

    @Test
    void rankDeficientHighDimensionalSetsGiveTheClosedForm() {
        // 256 dimensions, 500 samples: 20 unit-variance directions (the rest almost flat) against 5 of them.
        // Trace term 20 + 5 - 2 * 5 = 15, the shape of CLIP embeddings that once stopped the eigen solver.
        SplittableRandom random = new SplittableRandom(1);
        float[][] wide = new float[500][256];
        float[][] narrow = new float[500][256];
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < 256; j++) {
                wide[i][j] = (float) (j < 20 ? normal(random) : 1e-4 * normal(random));
                narrow[i][j] = (float) (j < 5 ? normal(random) : 0);
            }
        }
        assertThat(FrechetDistance.between(wide, narrow)).isCloseTo(15, within(1.5));
        assertThat(FrechetDistance.between(wide, wide)).isCloseTo(0, within(1e-6));
    }

    @Test
    void refusesSetsOfDifferentDimensionsOrTooSmall() {
        assertThatThrownBy(() -> FrechetDistance.between(gaussian(10, 3, 0, 1, 5), gaussian(10, 4, 0, 1, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different sizes");
        assertThatThrownBy(() -> FrechetDistance.between(gaussian(1, 3, 0, 1, 5), gaussian(10, 3, 0, 1, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
    }

    private static double[][] rotated(double c, double s, double a, double b) {
        return new double[][] {
            {c * c * a + s * s * b, c * s * (a - b)},
            {c * s * (a - b), s * s * a + c * c * b}
        };
    }

    static float[][] gaussian(int n, int d, double mean, double sd, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = (float) (mean + sd * normal(random));
            }
        }
        return out;
    }

    static double normal(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
