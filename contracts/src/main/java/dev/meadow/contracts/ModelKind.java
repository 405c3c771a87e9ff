package dev.meadow.contracts;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of model Meadow serves. */
public enum ModelKind {
    /** A CLIP-style dual encoder: text and images to one embedding space. */
    CLIP,
    /** A CLIP-conditioned VAE decoder: embedding and latent to an image. */
    CVAE,
    /**
     * A prior: draws image embeddings of one CLIP from a text embedding of it, each seed another. Served with the
     * decoder whose card names it, never alone.
     */
    PRIOR;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static ModelKind fromId(String id) {
        return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
}
