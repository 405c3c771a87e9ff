package dev.meadow.model.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The block kernel's arithmetic, checked against a plain convolution in double precision, TensorFlow aside. */
class SpaceToDepthConvolutionTest {

    @ParameterizedTest
    @CsvSource({"1, 2, 3, 4", "3, 2, 3, 6", "5, 4, 3, 8", "7, 3, 2, 6", "5, 1, 1, 2"})
    void convolvingBlocksWithTheRearrangedKernelEqualsConvolvingPixels(int k, int in, int out, int size) {
        Random random = new Random(k * 31L + in);
        double[] x = random.doubles((long) size * size * in, -1, 1).toArray();
        double[] kernel = random.doubles((long) k * k * in * out, -1, 1).toArray();

        double[] direct = convolve(x, size, in, kernel, k, out);

        int blockSide = size / 2;
        int blockIn = 4 * in;
        int blockOut = 4 * out;
        double[] blocks = new double[blockSide * blockSide * blockIn];
        for (int y = 0; y < size; y++) {
            for (int xPos = 0; xPos < size; xPos++) {
                for (int c = 0; c < in; c++) {
                    int channel = ((y % 2) * 2 + xPos % 2) * in + c;
                    blocks[((y / 2) * blockSide + xPos / 2) * blockIn + channel] = x[(y * size + xPos) * in + c];
                }
            }
        }
        int[] indices = SpaceToDepthConvolution.blockKernelIndices(k, in, out);
        double[] blockKernel = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            blockKernel[i] = indices[i] == kernel.length ? 0 : kernel[indices[i]];
        }
        int side = SpaceToDepthConvolution.blockKernelSize(k);
        double[] onBlocks = convolve(blocks, blockSide, blockIn, blockKernel, side, blockOut);

        for (int y = 0; y < size; y++) {
            for (int xPos = 0; xPos < size; xPos++) {
                for (int o = 0; o < out; o++) {
                    int channel = ((y % 2) * 2 + xPos % 2) * out + o;
                    double fromBlocks = onBlocks[((y / 2) * blockSide + xPos / 2) * blockOut + channel];
                    assertThat(fromBlocks)
                            .as("pixel (%d, %d) channel %d", y, xPos, o)
                            .isCloseTo(direct[(y * size + xPos) * out + o], within(1e-12));
                }
            }
        }
    }

    @Test
    void theBlockKernelReachesOneBlockEachSideForKernelsUpToFive() {
        assertThat(SpaceToDepthConvolution.blockKernelSize(1)).isEqualTo(1);
        assertThat(SpaceToDepthConvolution.blockKernelSize(3)).isEqualTo(3);
        assertThat(SpaceToDepthConvolution.blockKernelSize(5)).isEqualTo(3);
        assertThat(SpaceToDepthConvolution.blockKernelSize(7)).isEqualTo(5);
    }

    @Test
    void blocksAreUsedWhereTheyCostAtMostHalfAsManyMultiplicationsAgain() {
        assertThat(SpaceToDepthConvolution.pays(5)).isTrue();
        assertThat(SpaceToDepthConvolution.pays(9)).isTrue();
        assertThat(SpaceToDepthConvolution.pays(1)).isFalse();
        assertThat(SpaceToDepthConvolution.pays(3)).isFalse();
        assertThat(SpaceToDepthConvolution.pays(7)).isFalse();
    }

    @Test
    void anEvenKernelIsRefused() {
        assertThatThrownBy(() -> SpaceToDepthConvolution.blockKernelSize(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd");
    }

    /** SAME padding with zeros, stride 1, NHWC with N = 1, kernel [k, k, in, out]. */
    private static double[] convolve(double[] x, int size, int in, double[] kernel, int k, int out) {
        int radius = k / 2;
        double[] y = new double[size * size * out];
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        int r = row + ky - radius;
                        int c = col + kx - radius;
                        if (r < 0 || r >= size || c < 0 || c >= size) {
                            continue;
                        }
                        for (int ci = 0; ci < in; ci++) {
                            double v = x[(r * size + c) * in + ci];
                            for (int o = 0; o < out; o++) {
                                y[(row * size + col) * out + o] += v * kernel[((ky * k + kx) * in + ci) * out + o];
                            }
                        }
                    }
                }
            }
        }
        return y;
    }
}
