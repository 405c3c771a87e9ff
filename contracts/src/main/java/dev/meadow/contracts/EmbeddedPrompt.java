package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * A generation request with the CLIP text embedding of its prompt. Published on {@code embeddings}, keyed by job id.
 *
 * @param embedding the L2-normalised CLIP text embedding; in JSON, base64 of little-endian float32
 * @param clipModelId the CLIP model that produced the embedding; the decoder must have been trained against it
 */
public record EmbeddedPrompt(
        int version,
        GenerationRequest request,

        @JsonSerialize(using = Float32Base64.Serializer.class)
        @JsonDeserialize(using = Float32Base64.Deserializer.class)
        float[] embedding,

        String clipModelId,
        long embedMillis,
        Instant embeddedAt)
        implements Contract {

    public static final int CURRENT_VERSION = 1;

    public static EmbeddedPrompt of(
            GenerationRequest request, float[] embedding, String clipModelId, long embedMillis, Instant embeddedAt) {
        return new EmbeddedPrompt(CURRENT_VERSION, request, embedding, clipModelId, embedMillis, embeddedAt);
    }

    @Override
    public List<String> problems() {
        return Checks.of(version, CURRENT_VERSION)
                .nested("request", request)
                .finiteVector("embedding", embedding)
                .id("clipModelId", clipModelId)
                .range("embedMillis", embedMillis, 0, Long.MAX_VALUE)
                .present("embeddedAt", embeddedAt)
                .problems();
    }
}
