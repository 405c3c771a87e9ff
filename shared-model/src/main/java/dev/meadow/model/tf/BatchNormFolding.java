package dev.meadow.model.tf;

/**
 * Inference-time batch normalisation, {@code gamma (y - mean) / sqrt(variance + eps) + beta}, is an affine map per
 * output channel, so it folds into the layer before it: each output channel's kernel weights are scaled and a bias
 * takes the shift. The network then runs one matrix product or convolution plus bias per layer, which oneDNN fuses
 * with the activation that follows.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {}

    /** A kernel and the bias that together replace a bias-free layer followed by batch normalisation. */
    public record Folded(float[] kernel, float[] bias) {}

    /**
     * Folds batch normalisation into {@code kernel}, whose output channel for flat index {@code i} is {@code (i /
     * channelStride) % channels}: stride 1 for kernels stored {@code [..., in, out]} (dense, convolution), {@code in}
     * for transposed convolutions, stored {@code [k, k, out, in]}.
     */
    public static Folded fold(
            float[] kernel, int channelStride, float[] gamma, float[] beta, float[] mean, float[] variance) {
        int channels = gamma.length;
        if (beta.length != channels || mean.length != channels || variance.length != channels) {
            throw new IllegalArgumentException("gamma, beta, mean and variance must have one value per channel");
        }
        if (channelStride < 1 || kernel.length % ((long) channels * channelStride) != 0) {
            throw new IllegalArgumentException("a kernel of " + kernel.length + " values does not have " + channels
                    + " output channels at stride " + channelStride);
        }
        // In double, so that the folded layer differs from the unfolded one by float rounding alone.
        double[] scale = new double[channels];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma[c] / Math.sqrt((double) variance[c] + Layers.BatchNorm.EPSILON);
            bias[c] = (float) (beta[c] - mean[c] * scale[c]);
        }
        float[] folded = new float[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            folded[i] = (float) (kernel[i] * scale[(i / channelStride) % channels]);
        }
        return new Folded(folded, bias);
    }
}
