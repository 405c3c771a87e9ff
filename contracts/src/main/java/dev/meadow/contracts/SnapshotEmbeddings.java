package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot whose images and captions have been embedded once with one CLIP model. The matrices live in the
 * embeddings bucket. Published on {@code snapshot-embeddings}, keyed by snapshot id; the trainer takes these as
 * a queue.
 */
public record SnapshotEmbeddings(
        int version,
        DatasetSnapshot snapshot,
        String clipModelId,
        int dimension,
        String imageEmbeddingsKey,
        String captionEmbeddingsKey,
        Instant embeddedAt)
        implements Contract {

    public static final int CURRENT_VERSION = 1;

    public static SnapshotEmbeddings of(
            DatasetSnapshot snapshot,
            String clipModelId,
            int dimension,
            String imageEmbeddingsKey,
            String captionEmbeddingsKey,
            Instant embeddedAt) {
        return new SnapshotEmbeddings(
                CURRENT_VERSION,
                snapshot,
                clipModelId,
                dimension,
                imageEmbeddingsKey,
                captionEmbeddingsKey,
                embeddedAt);
    }

    @Override
    public List<String> problems() {
        return Checks.of(version, CURRENT_VERSION)
                .nested("snapshot", snapshot)
                .id("clipModelId", clipModelId)
                .range("dimension", dimension, 1, 65_536)
                .text("imageEmbeddingsKey", imageEmbeddingsKey, 1024)
                .text("captionEmbeddingsKey", captionEmbeddingsKey, 1024)
                .present("embeddedAt", embeddedAt)
                .problems();
    }
}
