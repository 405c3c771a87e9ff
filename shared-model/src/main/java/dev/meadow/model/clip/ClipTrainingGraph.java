package dev.meadow.model.clip;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.tf.Adam;
import dev.meadow.model.tf.Layers;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Contrastive training of the two towers: symmetric InfoNCE over a batch of matching image/caption pairs, with a
 * learned temperature. Also holds the inference graph used for export.
 */
final class ClipTrainingGraph implements AutoCloseable {

    /** CLIP's initial temperature, 0.07, as a log logit scale. */
    static final float INITIAL_LOGIT_SCALE = (float) Math.log(1 / 0.07);

    final Graph graph;
    final Placeholder<TFloat32> pixels;
    final Placeholder<TInt64> ids;
    final Placeholder<TInt64> mask;
    final Operand<TFloat32> imageEmbeds;
    final Operand<TFloat32> textEmbeds;
    final Operand<TFloat32> loss;
    final Op trainStep;
    final Parameters parameters;

    /** The training graph ({@code training} true) or the inference-only graph. */
    ClipTrainingGraph(int vocabulary, ClipTrainingSettings settings, boolean training) {
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            int s = settings.imageSize();
            int l = settings.contextLength();
            pixels = tf.withName("pixel_values").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            ids = tf.withName("input_ids").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, l)));
            mask = tf.withName("attention_mask").placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, l)));
            parameters = new Parameters(settings.seed());
            ClipNetwork.ImageTower image = new ClipNetwork.ImageTower(parameters, tf, settings.dimension());
            ClipNetwork.TextTower text = new ClipNetwork.TextTower(parameters, tf, vocabulary, settings.dimension());
            Variable<TFloat32> logitScale = parameters.constant(tf, "logit_scale", INITIAL_LOGIT_SCALE, true);

            imageEmbeds =
                    tf.withName("image_embeds").identity(image.embed(tf.withSubScope("eval"), pixels, false, null));
            textEmbeds = tf.withName("text_embeds").identity(text.embed(tf, ids, mask, l));
            if (training) {
                List<Op> updates = new ArrayList<>();
                Ops t = tf.withSubScope("train");
                Operand<TFloat32> trainImages = image.embed(t, pixels, true, updates);
                Operand<TFloat32> logits = tf.math.mul(
                        tf.math.exp(logitScale), tf.linalg.matMul(trainImages, textEmbeds, MatMul.transposeB(true)));
                Operand<TInt32> n = Layers.batchSize(tf, pixels);
                Operand<TFloat32> labels =
                        tf.oneHot(tf.range(tf.constant(0), n, tf.constant(1)), n, tf.constant(1f), tf.constant(0f));
                Operand<TFloat32> imageToText =
                        tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
                Operand<TFloat32> textToImage = tf.nn.softmaxCrossEntropyWithLogits(
                                tf.linalg.transpose(logits, tf.constant(new int[] {1, 0})), labels)
                        .loss();
                loss = tf.withName("loss")
                        .math
                        .div(
                                tf.math.add(
                                        tf.math.mean(imageToText, tf.constant(0)),
                                        tf.math.mean(textToImage, tf.constant(0))),
                                tf.constant(2f));
                trainStep = Adam.minimize(
                        tf, loss, parameters.trainable(), tf.constant(settings.learningRate()), updates, "train_step");
            } else {
                loss = null;
                trainStep = null;
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    @Override
    public void close() {
        graph.close();
    }
}
