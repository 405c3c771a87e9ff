package dev.meadow.model.cvae;

import dev.meadow.contracts.LossBreakdown;

/** One epoch: training and validation loss (each with its parts), and how fast it went. */
public record EpochReport(
        int epoch, LossBreakdown train, LossBreakdown validation, double seconds, double imagesPerSecond) {}
