package dev.meadow.model.cvae;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.contracts.LossBreakdown;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The paper's loss: BCE (summed over pixels, averaged over the batch) + 0.5 KL + 0.1 (1 - SSIM), SSIM with an
 * 11x11 Gaussian window (sigma 1.5); beyond the paper, another KL weight, and optionally {@code w (1 - cos)} of a CLIP-consistency term,
 * {@code w'} times a perceptual term and {@code w''} times the decoder's adversarial term.
 */
final class CvaeLoss {

    static final float SSIM_WEIGHT = 0.1f;
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final float C1 = 0.01f * 0.01f;
    private static final float C2 = 0.03f * 0.03f;

    private CvaeLoss() {}

    /** An optional term of the loss and its weight. */
    record Term(Operand<TFloat32> loss, float weight) {}

    /**
     * The parts of one branch's loss; each optional one is null where the training leaves its term out. {@code
     * criticLoss} is the patch critic's own loss, not part of {@code total}.
     */
    record Parts(
            Operand<TFloat32> total,
            Operand<TFloat32> bce,
            Operand<TFloat32> kl,
            Operand<TFloat32> ssimLoss,
            Operand<TFloat32> clipLoss,
            Operand<TFloat32> perceptualLoss,
            Operand<TFloat32> adversarialLoss,
            Operand<TFloat32> criticLoss) {

        /** The parts a step fetches, in the order {@link #breakdown} reads their values. */
        List<Operand<TFloat32>> all() {
            List<Operand<TFloat32>> all = new ArrayList<>(List.of(total, bce, kl, ssimLoss));
            for (Operand<TFloat32> optional : optional()) {
                if (optional != null) {
                    all.add(optional);
                }
            }
            return all;
        }

        /** The breakdown of {@code sums}, one per part of {@link #all}, each divided by {@code n}. */
        LossBreakdown breakdown(double[] sums, int n) {
            Double[] optional = new Double[4];
            int k = 4;
            for (int i = 0; i < optional.length; i++) {
                optional[i] = optional().get(i) == null ? null : sums[k++] / n;
            }
            return new LossBreakdown(
                    sums[0] / n,
                    sums[1] / n,
                    sums[2] / n,
                    sums[3] / n,
                    optional[0],
                    optional[1],
                    optional[2],
                    optional[3]);
        }

        private List<Operand<TFloat32>> optional() {
            return java.util.Arrays.asList(clipLoss, perceptualLoss, adversarialLoss, criticLoss);
        }
    }

    /**
     * The loss; {@code clip}, {@code perceptual} and {@code adversarial} are null where the training leaves them out,
     * and {@code criticLoss} is reported beside it.
     */
    static Parts of(
            Ops tf,
            Operand<TFloat32> images,
            Operand<TFloat32> logits,
            Operand<TFloat32> mu,
            Operand<TFloat32> logVariance,
            float klWeight,
            Term clip,
            Term perceptual,
            Term adversarial,
            Operand<TFloat32> criticLoss) {
        // Cross-entropy from logits, the numerically stable form: max(l, 0) - l x + log(1 + exp(-|l|)).
        Operand<TFloat32> perPixel = tf.math.add(
                tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, images)),
                tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
        Operand<TFloat32> bce = tf.math.mean(tf.sum(perPixel, tf.constant(new int[] {1, 2, 3})), tf.constant(0));
        Operand<TFloat32> klPerItem = tf.math.mul(
                tf.constant(-0.5f),
                tf.sum(
                        tf.math.sub(
                                tf.math.sub(tf.math.add(tf.constant(1f), logVariance), tf.math.square(mu)),
                                tf.math.exp(logVariance)),
                        tf.constant(1)));
        Operand<TFloat32> kl = tf.math.mean(klPerItem, tf.constant(0));
        Operand<TFloat32> ssimLoss = tf.math.sub(tf.constant(1f), ssim(tf, images, tf.math.sigmoid(logits)));
        Operand<TFloat32> total = tf.math.add(
                tf.math.add(bce, tf.math.mul(tf.constant(klWeight), kl)),
                tf.math.mul(tf.constant(SSIM_WEIGHT), ssimLoss));
        for (Term term : new Term[] {clip, perceptual, adversarial}) {
            if (term != null) {
                total = tf.math.add(total, tf.math.mul(tf.constant(term.weight()), term.loss()));
            }
        }
        return new Parts(
                total,
                bce,
                kl,
                ssimLoss,
                clip == null ? null : clip.loss(),
                perceptual == null ? null : perceptual.loss(),
                adversarial == null ? null : adversarial.loss(),
                criticLoss);
    }

    /** Mean SSIM over the batch, channels and valid window positions. */
    static Operand<TFloat32> ssim(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y) {
        Operand<TFloat32> window = gaussianWindow(tf);
        Operand<TFloat32> muX = blur(tf, x, window);
        Operand<TFloat32> muY = blur(tf, y, window);
        Operand<TFloat32> muXX = tf.math.square(muX);
        Operand<TFloat32> muYY = tf.math.square(muY);
        Operand<TFloat32> muXY = tf.math.mul(muX, muY);
        Operand<TFloat32> varX = tf.math.sub(blur(tf, tf.math.square(x), window), muXX);
        Operand<TFloat32> varY = tf.math.sub(blur(tf, tf.math.square(y), window), muYY);
        Operand<TFloat32> covXY = tf.math.sub(blur(tf, tf.math.mul(x, y), window), muXY);
        Operand<TFloat32> numerator = tf.math.mul(
                tf.math.add(tf.math.mul(tf.constant(2f), muXY), tf.constant(C1)),
                tf.math.add(tf.math.mul(tf.constant(2f), covXY), tf.constant(C2)));
        Operand<TFloat32> denominator = tf.math.mul(
                tf.math.add(tf.math.add(muXX, muYY), tf.constant(C1)),
                tf.math.add(tf.math.add(varX, varY), tf.constant(C2)));
        return tf.math.mean(tf.math.div(numerator, denominator), tf.constant(new int[] {0, 1, 2, 3}));
    }

    private static Operand<TFloat32> blur(Ops tf, Operand<TFloat32> x, Operand<TFloat32> window) {
        return tf.nn.depthwiseConv2dNative(x, window, List.of(1L, 1L, 1L, 1L), "VALID");
    }

    private static Operand<TFloat32> gaussianWindow(Ops tf) {
        double[] g = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double d = i - (WINDOW - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        float[] kernel = new float[WINDOW * WINDOW * 3];
        int k = 0;
        for (int i = 0; i < WINDOW; i++) {
            for (int j = 0; j < WINDOW; j++) {
                float w = (float) (g[i] * g[j] / (sum * sum));
                for (int c = 0; c < 3; c++) {
                    kernel[k++] = w;
                }
            }
        }
        return tf.constant(Shape.of(WINDOW, WINDOW, 3, 1), DataBuffers.of(kernel));
    }
}
