package dev.meadow.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The {@code models} topic (compacted): published model versions, and which one of each kind is active.
 * See {@link #key()} for how records are keyed so that compaction keeps exactly what matters.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ModelPublished.class, name = "published"),
    @JsonSubTypes.Type(value = ModelActivated.class, name = "activated")
})
public sealed interface ModelEvent extends Contract permits ModelPublished, ModelActivated {

    ModelKind kind();

    String modelId();

    /** {@code clip/<id>} for a published version, {@code clip/active} for the activation pointer. */
    String key();
}
