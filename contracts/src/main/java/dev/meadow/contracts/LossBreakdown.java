package dev.meadow.contracts;

/**
 * A CVAE loss and its three parts, each averaged per image: {@code total = bce + 0.5 kl + 0.1 (1 - ssim)}.
 *
 * @param ssimLoss {@code 1 - SSIM}
 */
public record LossBreakdown(double total, double bce, double kl, double ssimLoss) {}
