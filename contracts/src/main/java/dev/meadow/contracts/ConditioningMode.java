package dev.meadow.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which CLIP embedding a CVAE is conditioned on while it trains. At generation time it is always the prompt's. */
public enum ConditioningMode {
    /** The image's own CLIP image embedding: the paper's best variant. */
    IMAGE("image"),
    /** The CLIP text embedding of one of the image's captions. */
    TEXT("text"),
    /** The image embedding perturbed towards the text side of CLIP space (LAFITE). */
    IMAGE_NOISE("image+noise"),
    /** Image or caption embedding, chosen at random per example. */
    MIXED("mixed");

    private final String id;

    ConditioningMode(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static ConditioningMode fromId(String id) {
        for (ConditioningMode mode : values()) {
            if (mode.id.equalsIgnoreCase(id) || mode.name().equalsIgnoreCase(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown conditioning mode '" + id + "'; expected one of "
                + java.util.Arrays.stream(values()).map(ConditioningMode::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
