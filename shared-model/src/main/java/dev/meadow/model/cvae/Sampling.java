package dev.meadow.model.cvae;

/**
 * How a decoder draws a picture from a condition and a seed; the seed drives both parts, so it alone redraws the
 * picture.
 *
 * @param temperature scale of the latent (1: as trained; below 1 the pictures keep closer to what the condition alone
 *     says, the truncation trick; 0 gives one picture per condition)
 * @param conditionNoise how far each picture's condition is drawn from the given one ({@link ConditionNoise}); 0
 *     keeps it as it is
 */
public record Sampling(float temperature, float conditionNoise) {

    /** The latent as trained and the condition as given. */
    public static final Sampling PLAIN = new Sampling(1f, 0f);

    public Sampling {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, not " + temperature);
        }
        ConditionNoise.check(conditionNoise);
    }

    public Sampling withTemperature(float value) {
        return new Sampling(value, conditionNoise);
    }

    public Sampling withConditionNoise(float value) {
        return new Sampling(temperature, value);
    }
}
