package dev.meadow.contracts;

/**
 * A CVAE loss and its parts, each averaged per image: {@code total = bce + k kl + 0.1 (1 - ssim)} (k the KL weight,
 * the paper's 0.5 unless the training names another), plus
 * {@code w (1 - cos)} when the training pulls its pictures towards their condition with a frozen CLIP, plus
 * {@code w' perceptual} when it compares their early CLIP features with the originals', plus {@code w''
 * adversarial} when a patch critic judges them. The parts a training leaves out are null.
 *
 * @param ssimLoss {@code 1 - SSIM}
 * @param clipLoss {@code 1 - cos} between the CLIP embedding of a reconstruction and its condition
 * @param perceptualLoss mean squared distance between the early CLIP features of a reconstruction and of its
 *     original
 * @param adversarialLoss the decoder's: {@code -log D} of its reconstructions, averaged over the critic's patches
 * @param criticLoss the critic's own, which is not part of {@code total}: {@code -log D} of originals plus {@code
 *     -log (1 - D)} of reconstructions ({@code 2 ln 2}, about 1.39, when it cannot tell them apart)
 */
public record LossBreakdown(
        double total,
        double bce,
        double kl,
        double ssimLoss,
        Double clipLoss,
        Double perceptualLoss,
        Double adversarialLoss,
        Double criticLoss) {

    public LossBreakdown(double total, double bce, double kl, double ssimLoss) {
        this(total, bce, kl, ssimLoss, null, null, null, null);
    }

    public LossBreakdown(double total, double bce, double kl, double ssimLoss, Double clipLoss) {
        this(total, bce, kl, ssimLoss, clipLoss, null, null, null);
    }
}
