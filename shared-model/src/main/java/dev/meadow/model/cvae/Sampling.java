package dev.meadow.model.cvae;

/**
 * How a decoder draws a picture from a condition and a seed; the seed drives every part, so it alone redraws the
 * picture.
 *
 * @param temperature scale of the latent (1: as trained; below 1 the pictures keep closer to what the condition alone
 *     says, the truncation trick; 0 gives one picture per condition)
 * @param conditionNoise how far each picture's condition is drawn from the given one ({@link ConditionNoise}); 0
 *     keeps it as it is. Not applied where a prior draws the condition.
 * @param prior whether a decoder that has a prior ({@link Decoder#withPrior}) draws each picture's condition from it;
 *     false gives the decoder's behaviour without one, picture for picture
 */
public record Sampling(float temperature, float conditionNoise, boolean prior) {

    /** The latent as trained, the condition as given (or drawn from the decoder's prior, where it has one). */
    public static final Sampling PLAIN = new Sampling(1f, 0f, true);

    public Sampling {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, not " + temperature);
        }
        ConditionNoise.check(conditionNoise);
    }

    /** Through the prior where the decoder has one. */
    public Sampling(float temperature, float conditionNoise) {
        this(temperature, conditionNoise, true);
    }

    public Sampling withTemperature(float value) {
        return new Sampling(value, conditionNoise, prior);
    }

    public Sampling withConditionNoise(float value) {
        return new Sampling(temperature, value, prior);
    }

    public Sampling withPrior(boolean value) {
        return new Sampling(temperature, conditionNoise, value);
    }
}
