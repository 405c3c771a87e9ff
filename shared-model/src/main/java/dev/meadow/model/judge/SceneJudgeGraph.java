package dev.meadow.model.judge;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.tf.Adam;
import dev.meadow.model.tf.Layers.BatchNorm;
import dev.meadow.model.tf.Layers.Conv;
import dev.meadow.model.tf.Layers.Dense;
import dev.meadow.model.tf.Layers.Init;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The scene judge's network: five 3x3 convolutions (the first at full resolution, so that a far animal of a few
 * pixels survives it; then stride 2 down to 4x4), batch normalisation and ReLU, a dense layer over the flattened 4x4
 * map (where a thing is matters: sun above, animals below), and one softmax head per attribute. Training minimises
 * the sum of the heads' cross-entropies, each over the pictures it applies to (label -1: not applicable).
 */
final class SceneJudgeGraph implements AutoCloseable {

    static final int[] CHANNELS = {24, 48, 96, 128, 128};
    static final int HIDDEN = 256;
    static final String SIGNATURE = "judge_scene";

    final Graph graph;
    final Placeholder<TFloat32> pixels;
    final List<Placeholder<TInt32>> labels = new ArrayList<>();
    final Operand<TFloat32> logits;
    final Operand<TFloat32> loss;
    final Op trainStep;
    final Placeholder<TFloat32> learningRate;

    SceneJudgeGraph(int imageSize, List<SceneJudge.Head> heads, long seed, boolean training) {
        if (imageSize % 16 != 0) {
            throw new IllegalArgumentException(
                    "the scene judge needs a picture side divisible by 16, not " + imageSize);
        }
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            pixels = tf.withName("pixel_values")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, imageSize, imageSize, 3)));
            Parameters p = new Parameters(seed);
            Ops scope = tf.withSubScope("judge");
            List<Conv> convs = new ArrayList<>();
            List<BatchNorm> norms = new ArrayList<>();
            int in = 3;
            for (int i = 0; i < CHANNELS.length; i++) {
                Ops layer = scope.withSubScope("conv" + i);
                convs.add(Conv.create(p, layer, 3, in, CHANNELS[i], i == 0 ? 1 : 2, false, Init.KAIMING, 0));
                norms.add(BatchNorm.create(p, layer, CHANNELS[i]));
                in = CHANNELS[i];
            }
            int side = imageSize / 16;
            int flat = side * side * in;
            Ops hiddenScope = scope.withSubScope("hidden");
            Dense hidden = Dense.create(p, hiddenScope, flat, HIDDEN, false, Init.KAIMING, 0);
            BatchNorm hiddenNorm = BatchNorm.create(p, hiddenScope, HIDDEN);
            int outputs = heads.stream().mapToInt(h -> h.labels().size()).sum();
            Dense output = Dense.create(p, scope.withSubScope("heads"), HIDDEN, outputs, true, Init.GLOROT, 0);

            Network network = (ops, x, train, updates) -> {
                Operand<TFloat32> y = ops.math.div(ops.math.sub(x, ops.constant(0.5f)), ops.constant(0.25f));
                for (int i = 0; i < convs.size(); i++) {
                    y = ops.nn.relu(norms.get(i).apply(ops, convs.get(i).apply(ops, y), train, updates));
                }
                y = ops.reshape(y, ops.constant(new int[] {-1, flat}));
                y = ops.nn.relu(hiddenNorm.apply(ops, hidden.apply(ops, y), train, updates));
                return output.apply(ops, y);
            };
            logits = tf.withName("logits").identity(network.apply(tf.withSubScope("eval"), pixels, false, null));
            if (training) {
                List<Op> updates = new ArrayList<>();
                Ops t = tf.withSubScope("train");
                Operand<TFloat32> trainLogits = network.apply(t, pixels, true, updates);
                Operand<TFloat32> total = tf.constant(0f);
                int offset = 0;
                for (SceneJudge.Head head : heads) {
                    int size = head.labels().size();
                    Placeholder<TInt32> label = tf.withName("label_" + head.name())
                            .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
                    labels.add(label);
                    Operand<TFloat32> headLogits = tf.slice(
                            trainLogits, tf.constant(new int[] {0, offset}), tf.constant(new int[] {-1, size}));
                    // A label of -1 one-hots to zeros. The op's gradient (softmax - labels) assumes labels that sum
                    // to 1, so such a row would still pull its logits: the mask stops it, not just the zero loss.
                    Operand<TFloat32> oneHot = tf.oneHot(label, tf.constant(size), tf.constant(1f), tf.constant(0f));
                    Operand<TFloat32> mask = tf.sum(oneHot, tf.constant(1));
                    Operand<TFloat32> perPicture = tf.math.mul(
                            tf.nn.softmaxCrossEntropyWithLogits(headLogits, oneHot)
                                    .loss(),
                            mask);
                    Operand<TFloat32> applicable = tf.math.maximum(tf.sum(mask, tf.constant(0)), tf.constant(1f));
                    total = tf.math.add(total, tf.math.div(tf.sum(perPicture, tf.constant(0)), applicable));
                    offset += size;
                }
                loss = tf.withName("loss").identity(total);
                learningRate =
                        tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
                trainStep = Adam.minimize(tf, loss, p.trainable(), learningRate, updates, "train_step");
            } else {
                loss = null;
                trainStep = null;
                learningRate = null;
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Network {
        Operand<TFloat32> apply(Ops tf, Operand<TFloat32> pixels, boolean training, List<Op> updates);
    }

    @Override
    public void close() {
        graph.close();
    }
}
