package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/** Makes a published model version the one that serves its kind. The latest activation per kind wins. */
public record ModelActivated(int version, ModelKind kind, String modelId, Instant activatedAt) implements ModelEvent {

    public static final int CURRENT_VERSION = 1;

    public static ModelActivated of(ModelKind kind, String modelId, Instant at) {
        return new ModelActivated(CURRENT_VERSION, kind, modelId, at);
    }

    @Override
    public String key() {
        return kind.id() + "/active";
    }

    @Override
    public List<String> problems() {
        return Checks.of(version, CURRENT_VERSION)
                .present("kind", kind)
                .id("modelId", modelId)
                .present("activatedAt", activatedAt)
                .problems();
    }
}
