package dev.meadow.model.cvae;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of a CVAE, as data: one graph builder serves every preset.
 *
 * @param encoderFilters channels of the stride-2 encoder convolutions
 * @param encoderDense widths of the dense layers after the raw condition joins
 * @param conditionProjection width of the decoder's Dense(condition)
 * @param decoderStartSize side of the decoder's first feature map (the dense output is reshaped to it)
 * @param decoderFilters, decoderKernels, decoderStrides the decoder's upsampling convolutions
 * @param upsampling how those convolutions enlarge the picture
 * @param padding what the decoder's convolutions read beyond the picture's border
 */
public record CvaePreset(
        String name,
        int imageSize,
        List<Integer> encoderFilters,
        List<Integer> encoderKernels,
        List<Integer> encoderDense,
        int latentDim,
        int conditionProjection,
        int decoderStartSize,
        int decoderStartChannels,
        List<Integer> decoderFilters,
        List<Integer> decoderKernels,
        List<Integer> decoderStrides,
        int outputKernel,
        float leakySlope,
        Upsampling upsampling,
        Padding padding) {

    /** How the decoder's stride-2 layers double the picture's side. */
    public enum Upsampling {
        /** The paper's transposed convolutions. */
        TRANSPOSED,
        /**
         * A bilinear resize to twice the side, then a stride-1 convolution: every output pixel is made the same way,
         * so no layer can imprint the stride's period (Odena et al., 2016, "Deconvolution and Checkerboard
         * Artifacts").
         */
        RESIZE
    }

    /** What the decoder's convolutions read beyond the border of their feature map. */
    public enum Padding {
        /** Zeros, TensorFlow's SAME: the paper's. */
        ZERO,
        /**
         * The feature map mirrored at its border (without repeating the edge, as {@code MirrorPad} REFLECT does).
         * With zeros, every layer sees where the border is, and a border cell of the 8x8 first map spans 8 pixels
         * of the picture: decoders learnt lines a few pixels inside the left and right edges. Mirrored, the border
         * looks like more of the picture.
         */
        REFLECT
    }

    /** The paper's model at 64x64. */
    public static final CvaePreset PAPER_64 = new CvaePreset(
            "paper-64",
            64,
            List.of(256, 256, 128, 128),
            List.of(3, 5, 3, 3),
            List.of(2048, 2048, 1024),
            128,
            32,
            8,
            256,
            List.of(256, 256, 128, 128, 32),
            List.of(3, 5, 5, 3, 5),
            List.of(2, 2, 2, 1, 1),
            5,
            0.2f,
            Upsampling.TRANSPOSED,
            Padding.ZERO);

    /** The paper's model at 128x128: the last transposed convolution has stride 2. */
    public static final CvaePreset PAPER_128 = new CvaePreset(
            "paper-128",
            128,
            List.of(256, 256, 128, 128),
            List.of(3, 5, 3, 3),
            List.of(2048, 2048, 1024),
            128,
            32,
            8,
            256,
            List.of(256, 256, 128, 128, 32),
            List.of(3, 5, 5, 3, 5),
            List.of(2, 2, 2, 1, 2),
            5,
            0.2f,
            Upsampling.TRANSPOSED,
            Padding.ZERO);

    /**
     * The paper's topology, narrower: practical to train on two CPU cores. The transposed convolutions at full
     * resolution dominate the cost, so those are the narrowest.
     */
    public static final CvaePreset SMALL_64 = new CvaePreset(
            "small-64",
            64,
            List.of(64, 64, 32, 32),
            List.of(3, 5, 3, 3),
            List.of(512, 512, 256),
            128,
            32,
            8,
            64,
            List.of(64, 32, 32, 16, 16),
            List.of(3, 5, 5, 3, 5),
            List.of(2, 2, 2, 1, 1),
            5,
            0.2f,
            Upsampling.TRANSPOSED,
            Padding.ZERO);

    /**
     * {@link #SMALL_64} with 4x4 kernels in its stride-2 transposed convolutions: a kernel the stride divides overlaps
     * itself evenly, so every output pixel sums the same number of contributions: the uneven overlap that makes 3x3
     * and 5x5 kernels at stride 2 draw a checkerboard is gone, though a network can still learn one (Odena et al.,
     * 2016). Fewer operations than small-64.
     */
    public static final CvaePreset SMALL_64_EVEN = SMALL_64.withDecoder(
            "small-64-even", SMALL_64.decoderFilters(), List.of(4, 4, 4, 3, 5), Upsampling.TRANSPOSED);

    /**
     * {@link #SMALL_64} with resize-then-convolve upsampling. A 3x3 convolution after a 2x resize sees about as far
     * into its input as a 5x5 transposed one but runs at the output's resolution, so the kernels are 3x3 and the third layer is
     * narrower: 7% fewer operations than small-64.
     */
    public static final CvaePreset SMALL_64_RESIZE = SMALL_64.withDecoder(
            "small-64-resize", List.of(64, 32, 24, 16, 16), List.of(3, 3, 3, 3, 3), Upsampling.RESIZE);

    /**
     * {@link #SMALL_64_RESIZE} with mirrored borders in every decoder convolution ({@link Padding#REFLECT}): the same
     * variables, so it can start from a small-64-resize decoder's weights.
     */
    public static final CvaePreset SMALL_64_RESIZE_REFLECT =
            SMALL_64_RESIZE.withPadding("small-64-resize-reflect", Padding.REFLECT);

    /** The same topology at 128x128, narrow. */
    public static final CvaePreset SMALL_128 = new CvaePreset(
            "small-128",
            128,
            List.of(64, 64, 32, 32),
            List.of(3, 5, 3, 3),
            List.of(512, 512, 256),
            128,
            32,
            8,
            64,
            List.of(64, 32, 32, 16, 16),
            List.of(3, 5, 5, 3, 5),
            List.of(2, 2, 2, 1, 2),
            5,
            0.2f,
            Upsampling.TRANSPOSED,
            Padding.ZERO);

    /** A very small model for fast tests. */
    public static final CvaePreset TINY_32 = new CvaePreset(
            "tiny-32",
            32,
            List.of(16, 16, 8, 8),
            List.of(3, 5, 3, 3),
            List.of(64, 64, 64),
            128,
            8,
            4,
            16,
            List.of(16, 16, 8, 8, 8),
            List.of(3, 5, 5, 3, 5),
            List.of(2, 2, 2, 1, 1),
            5,
            0.2f,
            Upsampling.TRANSPOSED,
            Padding.ZERO);

    private static final Map<String, CvaePreset> ALL = new LinkedHashMap<>();

    static {
        for (CvaePreset preset : List.of(
                PAPER_64,
                PAPER_128,
                SMALL_64,
                SMALL_64_EVEN,
                SMALL_64_RESIZE,
                SMALL_64_RESIZE_REFLECT,
                SMALL_128,
                TINY_32)) {
            ALL.put(preset.name(), preset);
        }
    }

    public CvaePreset {
        java.util.Objects.requireNonNull(upsampling, "upsampling");
        java.util.Objects.requireNonNull(padding, "padding");
        if (padding == Padding.REFLECT && upsampling != Upsampling.RESIZE) {
            throw new IllegalArgumentException(name + ": mirrored borders need resize-then-convolve upsampling");
        }
        if (encoderFilters.size() != encoderKernels.size()) {
            throw new IllegalArgumentException(name + ": one kernel size per encoder convolution");
        }
        if (decoderFilters.size() != decoderKernels.size() || decoderFilters.size() != decoderStrides.size()) {
            throw new IllegalArgumentException(name + ": one kernel size and stride per upsampling convolution");
        }
        int size = decoderStartSize;
        for (int stride : decoderStrides) {
            size *= stride;
        }
        if (size != imageSize) {
            throw new IllegalArgumentException(name + ": the decoder produces " + size + " pixels, not " + imageSize);
        }
        if (imageSize % (1 << encoderFilters.size()) != 0) {
            throw new IllegalArgumentException(
                    name + ": " + imageSize + " does not halve " + encoderFilters.size() + " times");
        }
    }

    /** The same encoder and decoder strides with another decoder (widths, kernels, upsampling), under another name. */
    public CvaePreset withDecoder(
            String variant, List<Integer> filters, List<Integer> kernels, Upsampling decoderUpsampling) {
        return new CvaePreset(
                variant,
                imageSize,
                encoderFilters,
                encoderKernels,
                encoderDense,
                latentDim,
                conditionProjection,
                decoderStartSize,
                decoderStartChannels,
                filters,
                kernels,
                decoderStrides,
                outputKernel,
                leakySlope,
                decoderUpsampling,
                padding);
    }

    /** The same network with other decoder borders, under another name. */
    public CvaePreset withPadding(String variant, Padding decoderPadding) {
        return new CvaePreset(
                variant,
                imageSize,
                encoderFilters,
                encoderKernels,
                encoderDense,
                latentDim,
                conditionProjection,
                decoderStartSize,
                decoderStartChannels,
                decoderFilters,
                decoderKernels,
                decoderStrides,
                outputKernel,
                leakySlope,
                upsampling,
                decoderPadding);
    }

    public static Map<String, CvaePreset> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }

    /** The preset with this name, or an error listing the ones that exist. */
    public static CvaePreset named(String name) {
        CvaePreset preset = ALL.get(name);
        if (preset == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; presets are " + ALL.keySet());
        }
        return preset;
    }

    /** Side of the encoder's last feature map. */
    public int encoderOutputSize() {
        return imageSize >> encoderFilters.size();
    }

    /** Length of the flattened encoder output. */
    public int encoderFlatSize() {
        return encoderOutputSize() * encoderOutputSize() * encoderFilters.get(encoderFilters.size() - 1);
    }

    /**
     * Floating-point operations (two per multiply-add) the decoder spends on one image: the condition projection,
     * the dense layer, each upsampling convolution (a transposed one spreads a kernel from every input pixel; a
     * resize-then-convolve one gathers a kernel at every output pixel) and the output convolution. Normalisation and activations are left out: they are a few per value, not per weight.
     */
    public long decoderFlopsPerImage(int conditionDim) {
        long macs = (long) conditionDim * conditionProjection;
        macs += (long) (latentDim + conditionProjection) * decoderStartSize * decoderStartSize * decoderStartChannels;
        int size = decoderStartSize;
        int channels = decoderStartChannels;
        for (int i = 0; i < decoderFilters.size(); i++) {
            int kernel = decoderKernels.get(i);
            int stride = decoderStrides.get(i);
            int positions = upsampling == Upsampling.RESIZE ? size * stride : size;
            macs += (long) positions * positions * channels * kernel * kernel * decoderFilters.get(i);
            size *= stride;
            channels = decoderFilters.get(i);
        }
        macs += (long) size * size * outputKernel * outputKernel * channels * 3;
        return 2 * macs;
    }
}
