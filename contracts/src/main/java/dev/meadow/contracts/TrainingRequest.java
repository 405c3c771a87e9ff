package dev.meadow.contracts;

import java.util.List;

/**
 * How a dataset snapshot should be trained on.
 *
 * @param preset a CVAE preset name ({@code paper-64}, {@code small-64}, ...)
 * @param validationFraction share of the images held out for validation
 * @param activate whether the trained model becomes the active one when training finishes
 * @param prior whether a prior is trained with the decoder, published beside it and named in its card (so that the
 *     two are activated together); null: yes, unless the decoder is conditioned on text embeddings, which is what a
 *     prompt gives it already
 */
public record TrainingRequest(
        String preset,
        ConditioningMode conditioning,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        double validationFraction,
        boolean activate,
        Boolean prior) {

    public static final int MAX_EPOCHS = 10_000;

    /** Whether this run trains a prior with its decoder. */
    public boolean trainsPrior() {
        return prior != null ? prior : conditioning != ConditioningMode.TEXT;
    }

    public List<String> problems() {
        Checks checks = new Checks()
                .id("preset", preset)
                .present("conditioning", conditioning)
                .range("epochs", epochs, 1, MAX_EPOCHS)
                .range("batchSize", batchSize, 2, 4096)
                .that(learningRate > 0 && learningRate < 1, "learningRate must be in (0, 1)")
                .that(validationFraction > 0 && validationFraction < 0.9, "validationFraction must be in (0, 0.9)")
                .that(
                        !(Boolean.TRUE.equals(prior) && conditioning == ConditioningMode.TEXT),
                        "prior: a decoder conditioned on text embeddings draws no image embeddings from a prior");
        return checks.problems();
    }
}
