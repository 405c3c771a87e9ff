package dev.meadow.contracts;

/**
 * A CVAE loss and its parts, each averaged per image: {@code total = bce + 0.5 kl + 0.1 (1 - ssim)}, plus
 * {@code w (1 - cos)} when the training pulls its pictures towards their condition with a frozen CLIP, plus
 * {@code w' perceptual} when it compares their early CLIP features with the originals'.
 *
 * @param ssimLoss {@code 1 - SSIM}
 * @param clipLoss {@code 1 - cos} between the CLIP embedding of a reconstruction and its condition;
 *     null when the training has no CLIP-consistency term
 * @param perceptualLoss mean squared distance between the early CLIP features of a reconstruction and of its
 *     original; null when the training has no perceptual term
 */
public record LossBreakdown(
        double total, double bce, double kl, double ssimLoss, Double clipLoss, Double perceptualLoss) {

    public LossBreakdown(double total, double bce, double kl, double ssimLoss) {
        this(total, bce, kl, ssimLoss, null, null);
    }

    public LossBreakdown(double total, double bce, double kl, double ssimLoss, Double clipLoss) {
        this(total, bce, kl, ssimLoss, clipLoss, null);
    }
}
