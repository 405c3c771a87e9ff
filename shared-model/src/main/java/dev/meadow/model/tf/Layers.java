package dev.meadow.model.tf;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The layers Meadow's networks are made of. Each owns its variables; {@code apply} may be called several times. */
public final class Layers {

    private Layers() {}

    /** {@code x @ W (+ b)}. */
    public record Dense(Variable<TFloat32> kernel, Variable<TFloat32> bias) {

        public static Dense create(
                Parameters p, Ops scope, int in, int out, boolean withBias, Init init, float leakySlope) {
            Variable<TFloat32> kernel = init == Init.KAIMING
                    ? p.kaiming(scope, "kernel", in, leakySlope, in, out)
                    : p.glorot(scope, "kernel", in, out, in, out);
            return new Dense(kernel, withBias ? p.constant(scope, "bias", 0f, true, out) : null);
        }

        public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
            Operand<TFloat32> y = tf.linalg.matMul(x, kernel);
            return bias == null ? y : tf.nn.biasAdd(y, bias);
        }
    }

    /** A 2-D convolution, SAME padding. */
    public record Conv(Variable<TFloat32> kernel, Variable<TFloat32> bias, int stride) {

        public static Conv create(
                Parameters p,
                Ops scope,
                int kernelSize,
                int in,
                int out,
                int stride,
                boolean withBias,
                Init init,
                float leakySlope) {
            return create(p, scope, kernelSize, kernelSize, in, out, stride, withBias, init, leakySlope);
        }

        /** A {@code kernelHeight x kernelWidth} kernel; 1 x k makes a convolution over a sequence. */
        public static Conv create(
                Parameters p,
                Ops scope,
                int kernelHeight,
                int kernelWidth,
                int in,
                int out,
                int stride,
                boolean withBias,
                Init init,
                float leakySlope) {
            long fanIn = (long) kernelHeight * kernelWidth * in;
            Variable<TFloat32> kernel = init == Init.KAIMING
                    ? p.kaiming(scope, "kernel", fanIn, leakySlope, kernelHeight, kernelWidth, in, out)
                    : p.glorot(
                            scope,
                            "kernel",
                            fanIn,
                            (long) kernelHeight * kernelWidth * out,
                            kernelHeight,
                            kernelWidth,
                            in,
                            out);
            return new Conv(kernel, withBias ? p.constant(scope, "bias", 0f, true, out) : null, stride);
        }

        public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
            return convolve(tf, x, "SAME");
        }

        /**
         * The same convolution reading a mirrored border instead of zeros: {@code x} padded by {@link
         * #reflectPad}, then VALID, so the output keeps the input's side (stride 1).
         */
        public Operand<TFloat32> applyReflect(Ops tf, Operand<TFloat32> x) {
            return convolve(tf, reflectPad(tf, x, (int) (kernel.shape().size(0) / 2)), "VALID");
        }

        private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x, String padding) {
            Operand<TFloat32> y = tf.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), padding);
            return bias == null ? y : tf.nn.biasAdd(y, bias);
        }
    }

    /**
     * {@code x} [N, H, W, C] with {@code radius} rows and columns mirrored onto each side, without repeating the
     * edge ({@code MirrorPad} REFLECT): [N, H + 2r, W + 2r, C].
     */
    public static Operand<TFloat32> reflectPad(Ops tf, Operand<TFloat32> x, int radius) {
        if (radius == 0) {
            return x;
        }
        return tf.mirrorPad(
                x, tf.constant(new int[][] {{0, 0}, {radius, radius}, {radius, radius}, {0, 0}}), "REFLECT");
    }

    /** A transposed 2-D convolution (the gradient of a convolution), SAME padding: output = input x stride. */
    public record ConvTranspose(Variable<TFloat32> kernel, Variable<TFloat32> bias, int stride, int outChannels) {

        public static ConvTranspose create(
                Parameters p,
                Ops scope,
                int kernelSize,
                int in,
                int out,
                int stride,
                boolean withBias,
                float leakySlope) {
            // The kernel of a transposed convolution is stored [k, k, out, in].
            Variable<TFloat32> kernel = p.kaiming(
                    scope,
                    "kernel",
                    (long) kernelSize * kernelSize * in / (stride * stride),
                    leakySlope,
                    kernelSize,
                    kernelSize,
                    out,
                    in);
            return new ConvTranspose(kernel, withBias ? p.constant(scope, "bias", 0f, true, out) : null, stride, out);
        }

        public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int inputSize) {
            int outSize = inputSize * stride;
            Operand<TInt32> outShape = tf.stack(
                    List.of(batchSize(tf, x), tf.constant(outSize), tf.constant(outSize), tf.constant(outChannels)));
            Operand<TFloat32> y = tf.nn.conv2dBackpropInput(
                    outShape, kernel, x, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
            return bias == null ? y : tf.nn.biasAdd(y, bias);
        }
    }

    /**
     * Batch normalisation: batch statistics while training (recording moving-average updates), moving averages
     * at inference.
     */
    public record BatchNorm(
            Variable<TFloat32> gamma,
            Variable<TFloat32> beta,
            Variable<TFloat32> movingMean,
            Variable<TFloat32> movingVariance,
            int channels) {

        private static final float MOMENTUM = 0.99f;
        public static final float EPSILON = 1e-3f;

        public static BatchNorm create(Parameters p, Ops scope, int channels) {
            return new BatchNorm(
                    p.constant(scope, "gamma", 1f, true, channels),
                    p.constant(scope, "beta", 0f, true, channels),
                    p.constant(scope, "moving_mean", 0f, false, channels),
                    p.constant(scope, "moving_variance", 1f, false, channels),
                    channels);
        }

        /** Normalises NHWC input, or [N, C] input through a 1x1 spatial view. */
        public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, boolean training, List<Op> updates) {
            boolean flat = x.shape().numDimensions() == 2;
            Operand<TFloat32> in = flat ? tf.reshape(x, tf.constant(new int[] {-1, 1, 1, channels})) : x;
            Operand<TFloat32> y;
            if (training) {
                Operand<TFloat32> empty = tf.constant(new float[0]);
                FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(
                        in,
                        gamma,
                        beta,
                        empty,
                        empty,
                        FusedBatchNorm.isTraining(true),
                        FusedBatchNorm.epsilon(EPSILON));
                updates.add(tf.assign(movingMean, movingAverage(tf, movingMean, bn.batchMean())));
                updates.add(tf.assign(movingVariance, movingAverage(tf, movingVariance, bn.batchVariance())));
                y = bn.y();
            } else {
                y = tf.nn.fusedBatchNorm(
                                in,
                                gamma,
                                beta,
                                movingMean,
                                movingVariance,
                                FusedBatchNorm.isTraining(false),
                                FusedBatchNorm.epsilon(EPSILON))
                        .y();
            }
            return flat ? tf.reshape(y, tf.constant(new int[] {-1, channels})) : y;
        }

        private static Operand<TFloat32> movingAverage(Ops tf, Operand<TFloat32> average, Operand<TFloat32> value) {
            return tf.math.add(
                    tf.math.mul(average, tf.constant(MOMENTUM)),
                    tf.math.mul(tf.stopGradient(value), tf.constant(1 - MOMENTUM)));
        }
    }

    public enum Init {
        KAIMING,
        GLOROT
    }

    public static Operand<TFloat32> leakyRelu(Ops tf, Operand<TFloat32> x, float slope) {
        return tf.nn.leakyRelu(x, LeakyRelu.alpha(slope));
    }

    /** The first dimension of {@code x} as a scalar. */
    public static Operand<TInt32> batchSize(Ops tf, Operand<?> x) {
        return tf.reshape(
                tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})), tf.constant(new int[0]));
    }

    /** L2-normalises the rows of a [N, D] matrix. */
    public static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> squared =
                tf.sum(tf.math.square(x), tf.constant(new int[] {1}), org.tensorflow.op.core.Sum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.add(squared, tf.constant(1e-12f))));
    }
}
