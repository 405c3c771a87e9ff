package dev.meadow.model.cvae;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.clip.FrozenImageTower;
import dev.meadow.model.tf.Adam;
import dev.meadow.model.tf.Layers;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The CVAE training graph: a training branch (batch statistics, dropout on z, Adam step) and an evaluation branch
 * (moving averages, no dropout) over the same variables.
 */
final class CvaeTrainingGraph {

    final Graph graph;
    final Placeholder<TFloat32> images;
    final Placeholder<TFloat32> conditions;
    final Placeholder<TInt64> noiseSeed;
    final Placeholder<TInt64> dropoutSeed;
    final Operand<TFloat32> learningRate;
    final Op trainStep;
    final CvaeLoss.Parts trainLoss;
    final CvaeLoss.Parts evalLoss;
    final Parameters parameters;
    /** The patch critic when the loss has an adversarial term, else null. */
    final PatchCritic critic;
    /** The conditioning CLIP's image tower when the loss has a CLIP-consistency or perceptual term, else null. */
    final FrozenImageTower clipTower;
    /** The {@link ClipViews} matrices the training branch's CLIP term sees the reconstructions through. */
    final Placeholder<TFloat32> clipViewRows;

    final Placeholder<TFloat32> clipViewColumns;

    private final CvaePreset preset;
    private final float clipWeight;
    private final float perceptualWeight;
    private final float klWeight;
    private final float adversarialWeight;

    private static final long CRITIC_STREAM = 0xc217L;

    /** How many of the frozen tower's convolutions the perceptual term compares (strides 2 and 4: edges, texture). */
    static final int PERCEPTUAL_LAYERS = 2;

    CvaeTrainingGraph(CvaePreset preset, int conditionDim, TrainingSettings settings, Path clipDirectory) {
        this.preset = preset;
        this.clipWeight = settings.clipWeight();
        this.perceptualWeight = settings.perceptualWeight();
        this.klWeight = settings.klWeight();
        this.adversarialWeight = settings.adversarialWeight();
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            int s = preset.imageSize();
            images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3)));
            conditions = tf.withName("conditions")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, conditionDim)));
            noiseSeed = tf.withName("noise_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
            dropoutSeed = tf.withName("dropout_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
            clipViewRows = tf.withName("clip_view_rows").placeholder(TFloat32.class, Placeholder.shape(Shape.of(s, s)));
            clipViewColumns =
                    tf.withName("clip_view_columns").placeholder(TFloat32.class, Placeholder.shape(Shape.of(s, s)));
            learningRate = tf.withName("learning_rate")
                    .placeholderWithDefault(tf.constant(settings.learningRate()), Shape.scalar());

            parameters = new Parameters(settings.seed());
            clipTower = settings.needsClipTower() ? clipTower(tf, clipDirectory, conditionDim) : null;
            CvaeNetwork.Encoder encoder = new CvaeNetwork.Encoder(parameters, tf, preset, conditionDim);
            CvaeNetwork.Decoder decoder = new CvaeNetwork.Decoder(parameters, tf, preset, conditionDim);
            critic =
                    adversarialWeight > 0 ? new PatchCritic(tf, CvaeTrainer.mix(settings.seed(), CRITIC_STREAM)) : null;

            List<Op> statisticUpdates = new ArrayList<>();
            trainLoss = branch(
                    tf.withSubScope("train"), encoder, decoder, true, settings.latentDropout(), statisticUpdates);
            evalLoss = branch(tf.withSubScope("eval"), encoder, decoder, false, 0f, null);
            if (critic == null) {
                trainStep = Adam.minimize(
                        tf, trainLoss.total(), parameters.trainable(), learningRate, statisticUpdates, "train_step");
            } else {
                // Both steps from one forward pass. The decoder's gradients read the critic's weights, so the
                // critic's updates wait for the decoder's step: which ran first never changes a step's result.
                Op vaeStep = Adam.minimize(
                        tf, trainLoss.total(), parameters.trainable(), learningRate, statisticUpdates, "vae_step");
                Op criticStep = Adam.minimize(
                        tf.withSubScope(PatchCritic.OPTIMIZER_SCOPE),
                        trainLoss.criticLoss(),
                        critic.parameters().trainable(),
                        learningRate,
                        List.of(),
                        List.of(vaeStep),
                        "critic_step");
                trainStep = tf.withControlDependencies(List.of(vaeStep, criticStep))
                        .withName("train_step")
                        .noOp();
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private CvaeLoss.Parts branch(
            Ops tf,
            CvaeNetwork.Encoder encoder,
            CvaeNetwork.Decoder decoder,
            boolean training,
            float dropout,
            List<Op> updates) {
        CvaeNetwork.Encoding encoding = encoder.apply(tf, images, conditions, training, updates);
        // Reparameterisation: the noise comes from a fed seed, so a step is a pure function of its inputs.
        // Its shape comes from mu, so without stopGradient TensorFlow would try to differentiate the sampler.
        Operand<TFloat32> eps =
                tf.stopGradient(tf.random.statelessRandomNormal(tf.shape(encoding.mu()), noiseSeed, TFloat32.class));
        Operand<TFloat32> z = tf.math.add(
                encoding.mu(), tf.math.mul(tf.math.exp(tf.math.mul(tf.constant(0.5f), encoding.logVariance())), eps));
        if (dropout > 0) {
            Operand<TFloat32> keep = tf.stopGradient(tf.math.floor(tf.math.add(
                    tf.constant(1f - dropout),
                    tf.random.statelessRandomUniform(tf.shape(z), dropoutSeed, TFloat32.class))));
            z = tf.math.div(tf.math.mul(z, keep), tf.constant(1f - dropout));
        }
        Operand<TFloat32> logits = decoder.logits(tf, z, conditions, training, updates);
        Operand<TFloat32> pictures = tf.math.sigmoid(logits);
        CvaeLoss.Term clip = clipWeight > 0 ? new CvaeLoss.Term(clipLoss(tf, pictures, training), clipWeight) : null;
        CvaeLoss.Term perceptual =
                perceptualWeight > 0 ? new CvaeLoss.Term(perceptualLoss(tf, pictures), perceptualWeight) : null;
        CvaeLoss.Term adversarial = null;
        Operand<TFloat32> criticLoss = null;
        if (critic != null) {
            // The decoder wants its reconstructions taken for originals; the critic, trained on the same batch,
            // wants to tell them apart (the reconstructions enter its loss as constants).
            adversarial = new CvaeLoss.Term(
                    PatchCritic.crossEntropy(tf, critic.logits(tf, pictures), true), adversarialWeight);
            criticLoss = tf.math.add(
                    PatchCritic.crossEntropy(tf, critic.logits(tf, images), true),
                    PatchCritic.crossEntropy(tf, critic.logits(tf, tf.stopGradient(pictures)), false));
        }
        return CvaeLoss.of(
                tf,
                images,
                logits,
                encoding.mu(),
                encoding.logVariance(),
                klWeight,
                clip,
                perceptual,
                adversarial,
                criticLoss);
    }

    /** Mean {@code 1 - cos} between the frozen CLIP's embedding of each picture and its condition. */
    private Operand<TFloat32> clipLoss(Ops tf, Operand<TFloat32> pictures, boolean training) {
        // CLIP judges the reconstructions, which the pixel losses also hold to the real picture. Judging draws from
        // the prior instead was tried: nothing but CLIP constrained them, and the decoder learnt one CLIP-pleasing
        // blot per colour scheme, whatever the seed (docs/evaluation.md).
        if (training) {
            pictures = ClipViews.apply(tf, pictures, clipViewRows, clipViewColumns, preset.imageSize());
        }
        Operand<TFloat32> drawn = clipTower.embed(tf, pictures, preset.imageSize());
        Operand<TFloat32> cosine = FrozenImageTower.cosine(tf, drawn, Layers.l2Normalize(tf, conditions));
        return tf.math.mean(tf.math.sub(tf.constant(1f), cosine), tf.constant(0));
    }

    /**
     * The perceptual term: per layer, the mean squared distance between the frozen CLIP's early features of each
     * picture and of its original, summed over layers. Unlike BCE, which a blur minimises when the decoder cannot
     * know where an edge falls, it rewards edges and texture of the original's strength.
     */
    private Operand<TFloat32> perceptualLoss(Ops tf, Operand<TFloat32> pictures) {
        int side = preset.imageSize();
        List<Operand<TFloat32>> drawn = clipTower.earlyFeatures(tf, pictures, side, PERCEPTUAL_LAYERS);
        List<Operand<TFloat32>> real = clipTower.earlyFeatures(tf, images, side, PERCEPTUAL_LAYERS);
        Operand<TFloat32> sum = null;
        for (int i = 0; i < drawn.size(); i++) {
            Operand<TFloat32> distance = tf.math.mean(
                    tf.math.squaredDifference(drawn.get(i), tf.stopGradient(real.get(i))),
                    tf.constant(new int[] {0, 1, 2, 3}));
            sum = sum == null ? distance : tf.math.add(sum, distance);
        }
        return sum;
    }

    private static FrozenImageTower clipTower(Ops tf, Path clipDirectory, int conditionDim) {
        if (clipDirectory == null) {
            throw new IllegalArgumentException(
                    "a CLIP-consistency or perceptual weight needs the conditioning CLIP's directory");
        }
        FrozenImageTower tower = FrozenImageTower.create(tf, clipDirectory);
        if (tower.dimension() != conditionDim) {
            throw new IllegalArgumentException(clipDirectory + " embeds into " + tower.dimension()
                    + " dimensions but the conditions have " + conditionDim + ": it is not the conditioning CLIP");
        }
        return tower;
    }
}
