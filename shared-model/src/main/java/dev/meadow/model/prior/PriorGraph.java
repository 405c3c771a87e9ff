package dev.meadow.model.prior;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.tf.Adam;
import dev.meadow.model.tf.Layers.Dense;
import dev.meadow.model.tf.Layers.Init;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The diffusion prior's denoiser: an MLP that reads a noised image embedding, the caption's text embedding and the
 * step's features, and predicts the clean image embedding (as unCLIP's prior predicts x0). An input layer, {@code
 * blocks} residual blocks of two dense layers with SiLU, and an output layer. Embeddings are fed scaled by
 * sqrt(dimension), so that each coordinate has about unit variance, as the noise does.
 */
final class PriorGraph implements AutoCloseable {

    static final String SIGNATURE = "denoise";

    final Graph graph;
    final Placeholder<TFloat32> noised;
    final Placeholder<TFloat32> text;
    final Placeholder<TFloat32> time;
    final Operand<TFloat32> predicted;
    final Placeholder<TFloat32> clean;
    final Placeholder<TFloat32> learningRate;
    final Operand<TFloat32> loss;
    final org.tensorflow.op.Op trainStep;

    PriorGraph(int dimension, int width, int blocks, long seed, boolean training) {
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            noised = tf.withName("noised").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dimension)));
            text = tf.withName("text").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dimension)));
            time = tf.withName("time")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, DiffusionSchedule.TIME_FEATURES)));
            Parameters p = new Parameters(seed);
            Ops scope = tf.withSubScope("prior");
            Dense input = Dense.create(
                    p,
                    scope.withSubScope("input"),
                    2 * dimension + DiffusionSchedule.TIME_FEATURES,
                    width,
                    true,
                    Init.KAIMING,
                    0);
            List<Dense[]> residual = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                Ops block = scope.withSubScope("block" + b);
                residual.add(new Dense[] {
                    Dense.create(p, block.withSubScope("a"), width, width, true, Init.KAIMING, 0),
                    Dense.create(p, block.withSubScope("b"), width, width, true, Init.GLOROT, 0)
                });
            }
            Dense output = Dense.create(p, scope.withSubScope("output"), width, dimension, true, Init.GLOROT, 0);
            Operand<TFloat32> h = silu(tf, input.apply(tf, tf.concat(List.of(noised, text, time), tf.constant(1))));
            for (Dense[] block : residual) {
                h = tf.math.add(h, block[1].apply(tf, silu(tf, block[0].apply(tf, h))));
            }
            predicted = tf.withName("predicted").identity(output.apply(tf, silu(tf, h)));
            if (training) {
                clean = tf.withName("clean").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dimension)));
                learningRate =
                        tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
                loss = tf.withName("loss")
                        .math
                        .mean(tf.math.square(tf.math.sub(predicted, clean)), tf.constant(new int[] {0, 1}));
                trainStep = Adam.minimize(tf, loss, p.trainable(), learningRate, List.of(), "train_step");
            } else {
                clean = null;
                learningRate = null;
                loss = null;
                trainStep = null;
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private static Operand<TFloat32> silu(Ops tf, Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    @Override
    public void close() {
        graph.close();
    }
}
