package dev.meadow.model.cvae;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.tf.Layers;
import dev.meadow.model.tf.Layers.Conv;
import dev.meadow.model.tf.Layers.Init;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A PatchGAN-style critic (pix2pix, VAE-GAN): three stride-2 4x4 convolutions and a 3x3 one give a logit per
 * overlapping 38-pixel patch, real or drawn (at 64x64, an 8x8 grid of them). Judging patches rather than whole pictures asks for local
 * texture and edges, which a pixel loss averages away, and leaves layout to the reconstruction and CLIP terms.
 * Its variables live under {@code critic/} (their Adam moments under {@code critic_adam/}), in their own {@link
 * Parameters}, so the decoder's step never moves them.
 */
final class PatchCritic {

    static final String SCOPE = "critic";
    /** Where the critic's own Adam keeps its moments. */
    static final String OPTIMIZER_SCOPE = "critic_adam";

    private static final int[] CHANNELS = {32, 64, 128};
    private static final float SLOPE = 0.2f;

    private final Parameters parameters;
    private final List<Conv> convs = new ArrayList<>();
    private final Conv output;

    PatchCritic(Ops tf, long seed) {
        parameters = new Parameters(seed);
        Ops scope = tf.withSubScope(SCOPE);
        int in = 3;
        for (int i = 0; i < CHANNELS.length; i++) {
            convs.add(Conv.create(
                    parameters, scope.withSubScope("conv" + i), 4, in, CHANNELS[i], 2, true, Init.KAIMING, SLOPE));
            in = CHANNELS[i];
        }
        output = Conv.create(parameters, scope.withSubScope("output"), 3, in, 1, 1, true, Init.GLOROT, 0);
    }

    /** One logit per patch ({@code [N, side/8, side/8, 1]}) that {@code pictures} (in [0, 1]) are originals. */
    Operand<TFloat32> logits(Ops tf, Operand<TFloat32> pictures) {
        Ops scope = tf.withSubScope(SCOPE);
        Operand<TFloat32> x = scope.math.sub(scope.math.mul(pictures, scope.constant(2f)), scope.constant(1f));
        for (Conv conv : convs) {
            x = Layers.leakyRelu(scope, conv.apply(scope, x), SLOPE);
        }
        return output.apply(scope, x);
    }

    Parameters parameters() {
        return parameters;
    }

    /** Whether {@code variableName} is one of the critic's variables or their Adam moments. */
    static boolean owns(String variableName) {
        return variableName.startsWith(SCOPE + "/") || variableName.startsWith(OPTIMIZER_SCOPE + "/");
    }

    /** Mean {@code -log sigmoid(logits)} if {@code real}, else mean {@code -log (1 - sigmoid(logits))}. */
    static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, boolean real) {
        // -log sigmoid(l) = softplus(-l); -log (1 - sigmoid(l)) = softplus(l).
        Operand<TFloat32> perPatch = tf.math.softplus(real ? tf.math.neg(logits) : logits);
        return tf.math.mean(perPatch, tf.constant(new int[] {0, 1, 2, 3}));
    }
}
