package dev.meadow.model.clip;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.tf.Layers;
import dev.meadow.model.tf.Layers.BatchNorm;
import dev.meadow.model.tf.Layers.Conv;
import dev.meadow.model.tf.Layers.Dense;
import dev.meadow.model.tf.Layers.Init;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Meadow's own CLIP: a small image CNN and a small text encoder that map into one embedding space. Variables live
 * under {@code image}, {@code text} and {@code logit_scale}, so the inference graph restores a training checkpoint.
 */
final class ClipNetwork {

    /** Channels of the image tower's stride-2 convolutions. */
    static final int[] IMAGE_CHANNELS = {32, 64, 128, 256};

    static final int WORD_WIDTH = 128;
    static final int TEXT_WIDTH = 256;

    private ClipNetwork() {}

    /** Convolutions (stride 2, BN, ReLU), global average pooling, two dense layers, L2 normalisation. */
    static final class ImageTower {

        private final List<Conv> convs = new ArrayList<>();
        private final List<BatchNorm> norms = new ArrayList<>();
        private final Dense hidden;
        private final Dense projection;

        ImageTower(Parameters p, Ops tf, int dimension) {
            Ops scope = tf.withSubScope("image");
            int in = 3;
            for (int i = 0; i < IMAGE_CHANNELS.length; i++) {
                Ops layer = scope.withSubScope("conv" + i);
                convs.add(Conv.create(p, layer, 3, in, IMAGE_CHANNELS[i], 2, false, Init.KAIMING, 0));
                norms.add(BatchNorm.create(p, layer, IMAGE_CHANNELS[i]));
                in = IMAGE_CHANNELS[i];
            }
            hidden = Dense.create(p, scope.withSubScope("hidden"), in, TEXT_WIDTH, true, Init.KAIMING, 0);
            projection = Dense.create(p, scope.withSubScope("projection"), TEXT_WIDTH, dimension, true, Init.GLOROT, 0);
        }

        Operand<TFloat32> embed(Ops tf, Operand<TFloat32> pixels, boolean training, List<Op> updates) {
            Operand<TFloat32> x = pixels;
            for (int i = 0; i < convs.size(); i++) {
                x = convolve(tf, i, x, training, updates);
            }
            x = tf.math.mean(x, tf.constant(new int[] {1, 2}));
            x = tf.nn.relu(hidden.apply(tf, x));
            return Layers.l2Normalize(tf, projection.apply(tf, x));
        }

        /** The activations after each of the first {@code layers} convolutions, batch norm from its averages. */
        List<Operand<TFloat32>> features(Ops tf, Operand<TFloat32> pixels, int layers) {
            if (layers < 1 || layers > convs.size()) {
                throw new IllegalArgumentException(
                        "the image tower has " + convs.size() + " convolutions, not " + layers);
            }
            List<Operand<TFloat32>> features = new ArrayList<>();
            Operand<TFloat32> x = pixels;
            for (int i = 0; i < layers; i++) {
                x = convolve(tf, i, x, false, null);
                features.add(x);
            }
            return features;
        }

        private Operand<TFloat32> convolve(Ops tf, int i, Operand<TFloat32> x, boolean training, List<Op> updates) {
            return tf.nn.relu(norms.get(i).apply(tf, convs.get(i).apply(tf, x), training, updates));
        }
    }

    /**
     * Word embeddings, two 3-token convolutions (word order and adjective-noun pairs matter: "white sheep, black
     * cows"), masked mean and max pooling, two dense layers, L2 normalisation.
     */
    static final class TextTower {

        private final int vocabulary;
        private final Variable<TFloat32> words;
        private final Conv first;
        private final Conv second;
        private final Dense hidden;
        private final Dense projection;

        TextTower(Parameters p, Ops tf, int vocabulary, int dimension) {
            this.vocabulary = vocabulary;
            Ops scope = tf.withSubScope("text");
            words = p.glorot(scope, "words", vocabulary, WORD_WIDTH, vocabulary, WORD_WIDTH);
            first = Conv.create(p, scope.withSubScope("conv0"), 1, 3, WORD_WIDTH, TEXT_WIDTH, 1, true, Init.KAIMING, 0);
            second =
                    Conv.create(p, scope.withSubScope("conv1"), 1, 3, TEXT_WIDTH, TEXT_WIDTH, 1, true, Init.KAIMING, 0);
            hidden = Dense.create(p, scope.withSubScope("hidden"), 2 * TEXT_WIDTH, TEXT_WIDTH, true, Init.KAIMING, 0);
            projection = Dense.create(p, scope.withSubScope("projection"), TEXT_WIDTH, dimension, true, Init.GLOROT, 0);
        }

        Operand<TFloat32> embed(Ops tf, Operand<TInt64> ids, Operand<TInt64> attentionMask, int contextLength) {
            // A one-hot product instead of a gather: MatMul has a registered gradient.
            Operand<TFloat32> oneHot = tf.oneHot(ids, tf.constant(vocabulary), tf.constant(1f), tf.constant(0f));
            Operand<TFloat32> x = tf.linalg.matMul(tf.reshape(oneHot, tf.constant(new int[] {-1, vocabulary})), words);
            x = tf.reshape(x, tf.constant(new int[] {-1, 1, contextLength, WORD_WIDTH}));
            // Convolutions over the token axis only: 1x3 kernels on a height-1 "image".
            x = tf.nn.relu(first.apply(tf, x));
            x = tf.math.add(x, tf.nn.relu(second.apply(tf, x)));
            Operand<TFloat32> mask = tf.reshape(
                    tf.dtypes.cast(attentionMask, TFloat32.class), tf.constant(new int[] {-1, 1, contextLength, 1}));
            Operand<TFloat32> tokens = tf.math.maximum(tf.sum(mask, tf.constant(new int[] {1, 2})), tf.constant(1f));
            Operand<TFloat32> mean = tf.math.div(tf.sum(tf.math.mul(x, mask), tf.constant(new int[] {1, 2})), tokens);
            Operand<TFloat32> max = tf.max(
                    tf.math.add(x, tf.math.mul(tf.math.sub(mask, tf.constant(1f)), tf.constant(1e4f))),
                    tf.constant(new int[] {1, 2}),
                    Max.keepDims(false));
            Operand<TFloat32> h = tf.nn.relu(hidden.apply(tf, tf.concat(List.of(mean, max), tf.constant(1))));
            return Layers.l2Normalize(tf, projection.apply(tf, h));
        }
    }
}
