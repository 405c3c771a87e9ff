package dev.meadow.contracts;

/**
 * A CVAE loss and its parts, each averaged per image: {@code total = bce + 0.5 kl + 0.1 (1 - ssim)}, plus
 * {@code w (1 - cos)} when the training pulls its pictures towards their condition with a frozen CLIP.
 *
 * @param ssimLoss {@code 1 - SSIM}
 * @param clipLoss {@code 1 - cos} between the CLIP embedding of a reconstruction and its condition;
 *     null when the training has no CLIP-consistency term
 */
public record LossBreakdown(double total, double bce, double kl, double ssimLoss, Double clipLoss) {

    public LossBreakdown(double total, double bce, double kl, double ssimLoss) {
        this(total, bce, kl, ssimLoss, null);
    }
}
