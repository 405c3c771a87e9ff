package dev.meadow.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.meadow.synth.Scene;

/** A scene attribute that Pastoral-Synth knows for every picture and that the evaluation checks generated images for. */
public enum Attribute {
    SKY("sky", List.of("blue", "grey", "sunset", "night", "none")),
    GROUND("ground", List.of("grass", "snow", "field", "soil")),
    SNOW("snow", List.of("false", "true")),
    ANIMALS("animals", List.of("false", "true"));

    private final String key;
    private final List<String> labels;

    Attribute(String key, List<String> labels) {
        this.key = key;
        this.labels = labels;
    }

    /** The name in a snapshot manifest's attributes and in reports. */
    public String key() {
        return key;
    }

    public List<String> labels() {
        return labels;
    }

    public String of(Scene scene) {
        return switch (this) {
            case SKY -> scene.sky().name().toLowerCase(Locale.ROOT);
            case GROUND -> scene.ground().name().toLowerCase(Locale.ROOT);
            case SNOW -> Boolean.toString(scene.snowPresent());
            case ANIMALS -> Boolean.toString(scene.animalsPresent());
        };
    }

    /** The value in manifest-style attributes, or null when they do not say (or say something unknown). */
    public String of(Map<String, ?> attributes) {
        Object value = attributes == null ? null : attributes.get(key);
        if (value == null) {
            return null;
        }
        String text = value.toString().toLowerCase(Locale.ROOT);
        return labels.contains(text) ? text : null;
    }
}
