package dev.meadow.model.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {

    static final float[] GAMMA = {2f, 0.5f, -1f};
    static final float[] BETA = {0.1f, -0.2f, 0.3f};
    static final float[] MEAN = {1f, -3f, 0.5f};
    static final float[] VARIANCE = {4f, 0.25f, 9f};

    @Test
    void aFoldedDenseLayerEqualsTheLayerFollowedByBatchNormalisation() {
        // [in = 2, out = 3]
        float[] kernel = {1f, 2f, 3f, -1f, 0.5f, 4f};
        BatchNormFolding.Folded folded = BatchNormFolding.fold(kernel, 1, GAMMA, BETA, MEAN, VARIANCE);
        float[][] inputs = {{1f, 0f}, {0.3f, -2f}, {-5f, 7f}};
        for (float[] x : inputs) {
            for (int out = 0; out < 3; out++) {
                double y = x[0] * kernel[out] + x[1] * kernel[3 + out];
                double normalised =
                        GAMMA[out] * (y - MEAN[out]) / Math.sqrt(VARIANCE[out] + Layers.BatchNorm.EPSILON) + BETA[out];
                double foldedY = x[0] * folded.kernel()[out] + x[1] * folded.kernel()[3 + out] + folded.bias()[out];
                assertThat(foldedY).isCloseTo(normalised, within(1e-5));
            }
        }
    }

    @Test
    void aTransposedKernelIsScaledAlongItsOutputAxis() {
        // [k = 1, k = 1, out = 3, in = 2]: the output channel is the slower axis.
        float[] kernel = {1f, 1f, 1f, 1f, 1f, 1f};
        float[] scaled =
                BatchNormFolding.fold(kernel, 2, GAMMA, BETA, MEAN, VARIANCE).kernel();
        for (int out = 0; out < 3; out++) {
            double scale = GAMMA[out] / Math.sqrt(VARIANCE[out] + Layers.BatchNorm.EPSILON);
            assertThat((double) scaled[2 * out]).isCloseTo(scale, within(1e-6));
            assertThat((double) scaled[2 * out + 1]).isCloseTo(scale, within(1e-6));
        }
    }

    @Test
    void refusesStatisticsThatDoNotFitTheKernel() {
        assertThatThrownBy(() -> BatchNormFolding.fold(new float[7], 1, GAMMA, BETA, MEAN, VARIANCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not have 3 output channels");
        assertThatThrownBy(() -> BatchNormFolding.fold(new float[6], 1, GAMMA, BETA, MEAN, new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one value per channel");
    }
}
