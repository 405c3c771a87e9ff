package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A frozen data set in the object store (images, {@code captions.jsonl}, {@code manifest.json}), queued for
 * training. Published on {@code dataset-snapshots}, keyed by snapshot id.
 *
 * @param source where it came from: {@code coco}, {@code captions-jsonl}, {@code pastoral-synth}
 */
public record DatasetSnapshot(
        int version,
        String snapshotId,
        String name,
        String source,
        int imageCount,
        int captionCount,
        int imageSize,
        TrainingRequest training,
        Instant createdAt)
        implements Contract {

    public static final int CURRENT_VERSION = 1;

    public static DatasetSnapshot of(
            String snapshotId,
            String name,
            String source,
            int imageCount,
            int captionCount,
            int imageSize,
            TrainingRequest training,
            Instant createdAt) {
        return new DatasetSnapshot(
                CURRENT_VERSION, snapshotId, name, source, imageCount, captionCount, imageSize, training, createdAt);
    }

    @Override
    public List<String> problems() {
        Checks checks = Checks.of(version, CURRENT_VERSION)
                .id("snapshotId", snapshotId)
                .text("name", name, 200)
                .text("source", source, 100)
                .range("imageCount", imageCount, 1, Integer.MAX_VALUE)
                .range("captionCount", captionCount, imageCount, Integer.MAX_VALUE)
                .range("imageSize", imageSize, 8, 4096)
                .present("createdAt", createdAt)
                .present("training", training);
        List<String> problems = new java.util.ArrayList<>(checks.problems());
        if (training != null) {
            training.problems().forEach(p -> problems.add("training." + p));
        }
        return problems;
    }
}
