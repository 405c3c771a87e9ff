package dev.meadow.cli.common;

import dev.meadow.model.cvae.ConditionNoise;
import picocli.CommandLine.Option;

/** {@code --condition-noise} of the commands that draw pictures: the decoder's own unless given. */
public final class ConditionNoiseOption {

    @Option(
            names = "--condition-noise",
            paramLabel = "XI",
            description = "Draw each picture's condition from a neighbourhood of its prompt's embedding, this far"
                    + " (LAFITE's xi; 0 to " + ConditionNoise.MAX + "; 0 draws from the prompt's own; default: the"
                    + " decoder's, from its model.json, as the services draw): more variety from seed to seed; the"
                    + " seed redraws its picture.")
    Float value;

    /** The value given, checked, or null for each decoder's own. */
    public Float value() {
        Inputs.conditionNoise(value);
        return value;
    }
}
