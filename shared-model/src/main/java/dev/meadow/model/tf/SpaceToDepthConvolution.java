package dev.meadow.model.tf;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A stride-1, SAME, odd-sized convolution with few output channels, computed on the input's 2x2 blocks: the input
 * goes through {@code SpaceToDepth(2)} (half the side, four times the channels), a {@code (2t+1) x (2t+1)} kernel
 * makes the four output pixels of each block at once (four times the channels), and {@code DepthToSpace(2)} puts
 * them back. The same sums, so the same result within float rounding.
 *
 * <p>Why: oneDNN's convolutions block output channels by 16, so a 5x5 convolution to 3 channels (a decoder's RGB
 * layer) costs as much as one to 16 and runs at a tenth of the machine. On blocks it has 12 outputs and 4x the
 * inputs; for a 5x5 kernel it does 44% more multiplications (the extra ones by zero) and runs 2.0x as fast in bf16,
 * 1.8x in fp32 on the decoder's 64x64 output (docs/performance.md). Smaller kernels would do 4x the
 * multiplications: {@link #pays} says where blocks are worth it. The kernel is rearranged in the graph from the
 * layer's own variable, so an exported model keeps its variables' names and shapes.
 */
public final class SpaceToDepthConvolution {

    private static final int BLOCK = 2;

    private SpaceToDepthConvolution() {}

    /**
     * {@code conv2d(x, kernel, SAME) + bias} for {@code x} of shape [N, H, W, in] with H and W even, and {@code
     * kernel} of shape [k, k, in, out] with k odd.
     */
    public static Operand<TFloat32> apply(
            Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        Shape input = x.shape();
        if (input.numDimensions() != 4 || input.size(1) % BLOCK != 0 || input.size(2) % BLOCK != 0) {
            throw new IllegalArgumentException("input must be [N, H, W, C] with H and W even, got " + input);
        }
        Shape kernelShape = kernel.shape();
        if (kernelShape.numDimensions() != 4
                || kernelShape.hasUnknownDimension()
                || kernelShape.size(0) != kernelShape.size(1)
                || kernelShape.size(2) != input.size(3)) {
            throw new IllegalArgumentException("kernel must be [k, k, C, out] for an input of C = " + input.size(3)
                    + " channels, got " + kernelShape);
        }
        int kernelSize = (int) kernelShape.size(0);
        int in = (int) kernelShape.size(2);
        int out = (int) kernelShape.size(3);
        int side = blockKernelSize(kernelSize);
        int[] gather = blockKernelIndices(kernelSize, in, out);
        // The kernel's values and one zero after them, which every tap that falls outside the kernel takes.
        Operand<TFloat32> values = tf.concat(
                List.of(tf.reshape(kernel, tf.constant(new int[] {-1})), tf.constant(new float[] {0f})),
                tf.constant(0));
        Operand<TFloat32> blockKernel = tf.reshape(
                tf.gather(values, tf.constant(gather), tf.constant(0)),
                tf.constant(new int[] {side, side, BLOCK * BLOCK * in, BLOCK * BLOCK * out}));
        Operand<TFloat32> blockBias = tf.tile(bias, tf.constant(new int[] {BLOCK * BLOCK}));
        Operand<TFloat32> blocks = tf.nn.spaceToDepth(x, (long) BLOCK);
        Operand<TFloat32> y =
                tf.nn.biasAdd(tf.nn.conv2d(blocks, blockKernel, List.of(1L, 1L, 1L, 1L), "SAME"), blockBias);
        return tf.nn.depthToSpace(y, (long) BLOCK);
    }

    /**
     * Whether blocks cost at most 1.5x the multiplications of the plain convolution: true for 5x5 (1.44x) and 9x9
     * kernels, false for 1x1 and 3x3 (4x) and 7x7 (2x), which were not measured.
     */
    public static boolean pays(int kernelSize) {
        int side = blockKernelSize(kernelSize);
        return BLOCK * BLOCK * side * side <= 1.5 * kernelSize * kernelSize;
    }

    /** The side of the kernel over blocks: twice the blocks a {@code kernelSize} window reaches on one side, plus one. */
    static int blockKernelSize(int kernelSize) {
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd, got " + kernelSize);
        }
        int radius = (kernelSize - 1) / 2;
        return 2 * ((radius + 1) / 2) + 1;
    }

    /**
     * For each entry of the block kernel ([side, side, 4 in, 4 out], row-major), the index of the original kernel's
     * ([k, k, in, out], row-major) value it holds, or {@code k * k * in * out} where it holds zero. Block channels
     * follow TensorFlow's SpaceToDepth and DepthToSpace: {@code (dy * 2 + dx) * channels + c}.
     */
    static int[] blockKernelIndices(int kernelSize, int in, int out) {
        int side = blockKernelSize(kernelSize);
        int reach = side / 2;
        int radius = (kernelSize - 1) / 2;
        int zero = kernelSize * kernelSize * in * out;
        int blockIn = BLOCK * BLOCK * in;
        int blockOut = BLOCK * BLOCK * out;
        int[] indices = new int[side * side * blockIn * blockOut];
        int i = 0;
        for (int u = 0; u < side; u++) {
            for (int v = 0; v < side; v++) {
                for (int inChannel = 0; inChannel < blockIn; inChannel++) {
                    int py = inChannel / (BLOCK * in);
                    int px = (inChannel / in) % BLOCK;
                    int c = inChannel % in;
                    for (int outChannel = 0; outChannel < blockOut; outChannel++) {
                        int ay = outChannel / (BLOCK * out);
                        int ax = (outChannel / out) % BLOCK;
                        int o = outChannel % out;
                        // Input pixel 2(i + u - reach) + py seen from output pixel 2i + ay: kernel row ky.
                        int ky = BLOCK * (u - reach) + py - ay + radius;
                        int kx = BLOCK * (v - reach) + px - ax + radius;
                        boolean inside = ky >= 0 && ky < kernelSize && kx >= 0 && kx < kernelSize;
                        indices[i++] = inside ? ((ky * kernelSize + kx) * in + c) * out + o : zero;
                    }
                }
            }
        }
        return indices;
    }
}
