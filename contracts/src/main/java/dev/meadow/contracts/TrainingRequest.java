package dev.meadow.contracts;

import java.util.List;

/**
 * How a dataset snapshot should be trained on.
 *
 * @param preset a CVAE preset name ({@code paper-64}, {@code small-64}, ...)
 * @param validationFraction share of the images held out for validation
 * @param activate whether the trained model becomes the active one when training finishes
 */
public record TrainingRequest(
        String preset,
        ConditioningMode conditioning,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        double validationFraction,
        boolean activate) {

    public static final int MAX_EPOCHS = 10_000;

    public List<String> problems() {
        Checks checks = new Checks()
                .id("preset", preset)
                .present("conditioning", conditioning)
                .range("epochs", epochs, 1, MAX_EPOCHS)
                .range("batchSize", batchSize, 2, 4096)
                .that(learningRate > 0 && learningRate < 1, "learningRate must be in (0, 1)")
                .that(validationFraction > 0 && validationFraction < 0.9, "validationFraction must be in (0, 0.9)");
        return checks.problems();
    }
}
