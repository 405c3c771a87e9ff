package dev.meadow.model.cvae;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.model.tf.BatchNormFolding;
import dev.meadow.model.tf.Layers;
import dev.meadow.model.tf.Layers.BatchNorm;
import dev.meadow.model.tf.Layers.Conv;
import dev.meadow.model.tf.Layers.ConvTranspose;
import dev.meadow.model.tf.Layers.Dense;
import dev.meadow.model.tf.Layers.Init;
import dev.meadow.model.tf.Parameters;
import dev.meadow.model.tf.SpaceToDepthConvolution;
import dev.meadow.model.tf.Tensors;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * The paper's CVAE as TensorFlow graph pieces. The encoder and decoder own their variables under the scopes
 * {@code encoder} and {@code decoder}, so a decoder-only graph can restore a full training checkpoint.
 */
final class CvaeNetwork {

    private CvaeNetwork() {}

    record Encoding(Operand<TFloat32> mu, Operand<TFloat32> logVariance) {}

    /** Convolutions (stride 2, BN, LeakyReLU), flatten, join the raw condition, dense layers, then mu and log-variance. */
    static final class Encoder {

        private final CvaePreset preset;
        private final List<Conv> convs = new ArrayList<>();
        private final List<BatchNorm> convNorms = new ArrayList<>();
        private final List<Dense> dense = new ArrayList<>();
        private final List<BatchNorm> denseNorms = new ArrayList<>();
        private final Dense mu;
        private final Dense logVariance;

        Encoder(Parameters p, Ops tf, CvaePreset preset, int conditionDim) {
            this.preset = preset;
            Ops scope = tf.withSubScope("encoder");
            int channels = 3;
            for (int i = 0; i < preset.encoderFilters().size(); i++) {
                Ops layer = scope.withSubScope("conv" + i);
                int out = preset.encoderFilters().get(i);
                convs.add(Conv.create(
                        p,
                        layer,
                        preset.encoderKernels().get(i),
                        channels,
                        out,
                        2,
                        false,
                        Init.KAIMING,
                        preset.leakySlope()));
                convNorms.add(BatchNorm.create(p, layer, out));
                channels = out;
            }
            int width = preset.encoderFlatSize() + conditionDim;
            for (int i = 0; i < preset.encoderDense().size(); i++) {
                Ops layer = scope.withSubScope("dense" + i);
                int out = preset.encoderDense().get(i);
                dense.add(Dense.create(p, layer, width, out, false, Init.KAIMING, preset.leakySlope()));
                denseNorms.add(BatchNorm.create(p, layer, out));
                width = out;
            }
            mu = Dense.create(p, scope.withSubScope("mu"), width, preset.latentDim(), true, Init.GLOROT, 0);
            logVariance = Dense.create(
                    p, scope.withSubScope("log_variance"), width, preset.latentDim(), true, Init.GLOROT, 0);
        }

        Encoding apply(
                Ops tf, Operand<TFloat32> images, Operand<TFloat32> conditions, boolean training, List<Op> updates) {
            Operand<TFloat32> x = images;
            for (int i = 0; i < convs.size(); i++) {
                x = Layers.leakyRelu(
                        tf,
                        convNorms.get(i).apply(tf, convs.get(i).apply(tf, x), training, updates),
                        preset.leakySlope());
            }
            x = tf.reshape(x, tf.constant(new int[] {-1, preset.encoderFlatSize()}));
            x = tf.concat(List.of(x, conditions), tf.constant(1));
            for (int i = 0; i < dense.size(); i++) {
                x = Layers.leakyRelu(
                        tf,
                        denseNorms.get(i).apply(tf, dense.get(i).apply(tf, x), training, updates),
                        preset.leakySlope());
            }
            // A soft clamp keeps exp(log-variance) finite in the first steps without cutting the gradient.
            Operand<TFloat32> logVar = tf.math.mul(
                    tf.constant(10f), tf.math.tanh(tf.math.div(logVariance.apply(tf, x), tf.constant(10f))));
            return new Encoding(mu.apply(tf, x), logVar);
        }
    }

    /**
     * z joined with Dense(condition), a dense layer reshaped to a feature map, upsampling convolutions (transposed,
     * or resize then convolve), RGB.
     */
    static final class Decoder {

        private final CvaePreset preset;
        private final Dense conditionProjection;
        private final Dense seed;
        private final BatchNorm seedNorm;
        private final List<UpsamplingLayer> upsamplings = new ArrayList<>();
        private final List<BatchNorm> deconvNorms = new ArrayList<>();
        private final Conv output;

        Decoder(Parameters p, Ops tf, CvaePreset preset, int conditionDim) {
            this.preset = preset;
            Ops scope = tf.withSubScope("decoder");
            conditionProjection = Dense.create(
                    p,
                    scope.withSubScope("condition"),
                    conditionDim,
                    preset.conditionProjection(),
                    true,
                    Init.GLOROT,
                    0);
            int seedWidth = preset.decoderStartSize() * preset.decoderStartSize() * preset.decoderStartChannels();
            Ops seedScope = scope.withSubScope("dense");
            seed = Dense.create(
                    p,
                    seedScope,
                    preset.latentDim() + preset.conditionProjection(),
                    seedWidth,
                    false,
                    Init.KAIMING,
                    preset.leakySlope());
            seedNorm = BatchNorm.create(p, seedScope, seedWidth);
            int channels = preset.decoderStartChannels();
            for (int i = 0; i < preset.decoderFilters().size(); i++) {
                Ops layer = scope.withSubScope("deconv" + i);
                int out = preset.decoderFilters().get(i);
                int kernel = preset.decoderKernels().get(i);
                int stride = preset.decoderStrides().get(i);
                if (preset.upsampling() == CvaePreset.Upsampling.RESIZE) {
                    Conv conv =
                            Conv.create(p, layer, kernel, channels, out, 1, false, Init.KAIMING, preset.leakySlope());
                    boolean reflect = preset.padding() == CvaePreset.Padding.REFLECT;
                    upsamplings.add((ops, x, size) -> reflect
                            ? conv.applyReflect(ops, resize(ops, x, size, stride))
                            : conv.apply(ops, resize(ops, x, size, stride)));
                } else {
                    ConvTranspose deconv =
                            ConvTranspose.create(p, layer, kernel, channels, out, stride, false, preset.leakySlope());
                    upsamplings.add(deconv::apply);
                }
                deconvNorms.add(BatchNorm.create(p, layer, out));
                channels = out;
            }
            output = Conv.create(
                    p, scope.withSubScope("rgb"), preset.outputKernel(), channels, 3, 1, true, Init.GLOROT, 0);
        }

        /** One upsampling layer of the decoder, before its batch normalisation: {@code size} is its input's side. */
        @FunctionalInterface
        private interface UpsamplingLayer {
            Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int size);
        }

        /** Pre-sigmoid pixel values. */
        Operand<TFloat32> logits(
                Ops tf, Operand<TFloat32> z, Operand<TFloat32> conditions, boolean training, List<Op> updates) {
            Operand<TFloat32> x = tf.concat(List.of(z, conditionProjection.apply(tf, conditions)), tf.constant(1));
            x = Layers.leakyRelu(tf, seedNorm.apply(tf, seed.apply(tf, x), training, updates), preset.leakySlope());
            int size = preset.decoderStartSize();
            x = tf.reshape(x, tf.constant(new int[] {-1, size, size, preset.decoderStartChannels()}));
            for (int i = 0; i < upsamplings.size(); i++) {
                Operand<TFloat32> y = upsamplings.get(i).apply(tf, x, size);
                x = Layers.leakyRelu(tf, deconvNorms.get(i).apply(tf, y, training, updates), preset.leakySlope());
                size *= preset.decoderStrides().get(i);
            }
            return preset.padding() == CvaePreset.Padding.REFLECT ? output.applyReflect(tf, x) : output.apply(tf, x);
        }
    }

    /**
     * The decoder as it is exported for inference: each batch normalisation folded into the layer before it
     * ({@link BatchNormFolding}), so that every layer is one matrix product or convolution, a bias and a LeakyReLU,
     * which oneDNN runs as one fused primitive; the RGB layer runs on 2x2 blocks where that pays ({@link
     * SpaceToDepthConvolution}). Its variables keep the trained decoder's names ({@code decoder/dense/kernel}); the
     * batch normalisations' are gone, and {@code dense} and each {@code deconv<i>} gain a bias.
     */
    static final class FoldedDecoder {

        private final CvaePreset preset;
        private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();

        FoldedDecoder(Ops tf, CvaePreset preset, int conditionDim) {
            this.preset = preset;
            // One sub-scope per layer, reused for its kernel and bias: a second withSubScope would be renamed.
            Ops decoder = tf.withSubScope("decoder");
            Map<String, Ops> layers = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> variable :
                    shapes(preset, conditionDim).entrySet()) {
                String[] path = variable.getKey().split("/"); // decoder/<layer>/<kernel or bias>
                Ops layer = layers.computeIfAbsent(path[1], decoder::withSubScope);
                variables.put(variable.getKey(), layer.withName(path[2]).variable(variable.getValue(), TFloat32.class));
            }
        }

        private static Map<String, Shape> shapes(CvaePreset preset, int conditionDim) {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            int projection = preset.conditionProjection();
            shapes.put("decoder/condition/kernel", Shape.of(conditionDim, projection));
            shapes.put("decoder/condition/bias", Shape.of(projection));
            int seedWidth = preset.decoderStartSize() * preset.decoderStartSize() * preset.decoderStartChannels();
            shapes.put("decoder/dense/kernel", Shape.of(preset.latentDim() + projection, seedWidth));
            shapes.put("decoder/dense/bias", Shape.of(seedWidth));
            int channels = preset.decoderStartChannels();
            for (int i = 0; i < preset.decoderFilters().size(); i++) {
                int out = preset.decoderFilters().get(i);
                int k = preset.decoderKernels().get(i);
                shapes.put(
                        "decoder/deconv" + i + "/kernel",
                        preset.upsampling() == CvaePreset.Upsampling.RESIZE
                                ? Shape.of(k, k, channels, out)
                                : Shape.of(k, k, out, channels));
                shapes.put("decoder/deconv" + i + "/bias", Shape.of(out));
                channels = out;
            }
            shapes.put("decoder/rgb/kernel", Shape.of(preset.outputKernel(), preset.outputKernel(), channels, 3));
            shapes.put("decoder/rgb/bias", Shape.of(3));
            return shapes;
        }

        /** The folded variables' values, by name, from a trained {@link Decoder}'s values by name. */
        static Map<String, float[]> fold(Map<String, float[]> trained, CvaePreset preset, int conditionDim) {
            Map<String, float[]> folded = new LinkedHashMap<>();
            for (String name : List.of(
                    "decoder/condition/kernel", "decoder/condition/bias", "decoder/rgb/kernel", "decoder/rgb/bias")) {
                folded.put(name, value(trained, name));
            }
            foldInto(folded, trained, "decoder/dense", 1);
            int channels = preset.decoderStartChannels();
            for (int i = 0; i < preset.decoderFilters().size(); i++) {
                // A transposed convolution's kernel is [k, k, out, in]: its output channel is the slower axis.
                int stride = preset.upsampling() == CvaePreset.Upsampling.RESIZE ? 1 : channels;
                foldInto(folded, trained, "decoder/deconv" + i, stride);
                channels = preset.decoderFilters().get(i);
            }
            Map<String, Shape> shapes = shapes(preset, conditionDim);
            folded.forEach((name, values) -> {
                if (values.length != shapes.get(name).size()) {
                    throw new IllegalArgumentException(name + " has " + values.length + " values, not "
                            + shapes.get(name).size() + " as " + preset.name() + " needs");
                }
            });
            return folded;
        }

        private static void foldInto(
                Map<String, float[]> folded, Map<String, float[]> trained, String layer, int channelStride) {
            BatchNormFolding.Folded f = BatchNormFolding.fold(
                    value(trained, layer + "/kernel"),
                    channelStride,
                    value(trained, layer + "/gamma"),
                    value(trained, layer + "/beta"),
                    value(trained, layer + "/moving_mean"),
                    value(trained, layer + "/moving_variance"));
            folded.put(layer + "/kernel", f.kernel());
            folded.put(layer + "/bias", f.bias());
        }

        private static float[] value(Map<String, float[]> values, String name) {
            float[] value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("the trained decoder has no variable " + name);
            }
            return value;
        }

        /** Sets every variable from {@link #fold}'s values. */
        void assign(Ops tf, Session session, Map<String, float[]> values) {
            for (Map.Entry<String, Variable<TFloat32>> variable : variables.entrySet()) {
                Shape shape = variable.getValue().shape();
                Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
                try (TFloat32 tensor = Tensors.floats(value(values, variable.getKey()), shape.asArray())) {
                    session.runner()
                            .feed(value, tensor)
                            .addTarget(tf.assign(variable.getValue(), value))
                            .run()
                            .close();
                }
            }
        }

        /** Pre-sigmoid pixel values, as {@link Decoder#logits} at inference. */
        Operand<TFloat32> logits(Ops tf, Operand<TFloat32> z, Operand<TFloat32> conditions) {
            float slope = preset.leakySlope();
            boolean reflect = preset.padding() == CvaePreset.Padding.REFLECT;
            Dense projection =
                    new Dense(variables.get("decoder/condition/kernel"), variables.get("decoder/condition/bias"));
            Dense seed = new Dense(variables.get("decoder/dense/kernel"), variables.get("decoder/dense/bias"));
            Operand<TFloat32> x = tf.concat(List.of(z, projection.apply(tf, conditions)), tf.constant(1));
            x = Layers.leakyRelu(tf, seed.apply(tf, x), slope);
            int size = preset.decoderStartSize();
            x = tf.reshape(x, tf.constant(new int[] {-1, size, size, preset.decoderStartChannels()}));
            for (int i = 0; i < preset.decoderFilters().size(); i++) {
                Variable<TFloat32> kernel = variables.get("decoder/deconv" + i + "/kernel");
                Variable<TFloat32> bias = variables.get("decoder/deconv" + i + "/bias");
                int stride = preset.decoderStrides().get(i);
                Conv conv = new Conv(kernel, bias, 1);
                Operand<TFloat32> y = preset.upsampling() == CvaePreset.Upsampling.RESIZE
                        ? (reflect
                                ? conv.applyReflect(tf, resize(tf, x, size, stride))
                                : conv.apply(tf, resize(tf, x, size, stride)))
                        : new ConvTranspose(
                                        kernel,
                                        bias,
                                        stride,
                                        preset.decoderFilters().get(i))
                                .apply(tf, x, size);
                x = Layers.leakyRelu(tf, y, slope);
                size *= stride;
            }
            Variable<TFloat32> kernel = variables.get("decoder/rgb/kernel");
            Variable<TFloat32> bias = variables.get("decoder/rgb/bias");
            // On 2x2 blocks where that pays: oneDNN runs a convolution to three channels at a tenth of the machine.
            if (!SpaceToDepthConvolution.pays(preset.outputKernel())) {
                Conv rgb = new Conv(kernel, bias, 1);
                return reflect ? rgb.applyReflect(tf, x) : rgb.apply(tf, x);
            }
            if (!reflect) {
                return SpaceToDepthConvolution.apply(tf, x, kernel, bias);
            }
            // Mirrored by an even radius, the side stays even for the blocks; SAME over the padded map, cropped
            // back, is the VALID convolution of the padded map: the picture with mirrored borders.
            int radius = preset.outputKernel() / 2;
            int even = radius + radius % 2;
            int side = size;
            Operand<TFloat32> padded = SpaceToDepthConvolution.apply(tf, Layers.reflectPad(tf, x, even), kernel, bias);
            return tf.slice(
                    padded, tf.constant(new int[] {0, even, even, 0}), tf.constant(new int[] {-1, side, side, 3}));
        }
    }

    private static Operand<TFloat32> resize(Ops tf, Operand<TFloat32> x, int size, int stride) {
        return stride == 1
                ? x
                : tf.image.resizeBilinear(
                        x,
                        tf.constant(new int[] {size * stride, size * stride}),
                        ResizeBilinear.halfPixelCenters(true));
    }
}
