package dev.meadow.storage;

import dev.meadow.contracts.Checks;
import dev.meadow.contracts.ModelKind;

/**
 * Where every object lives. Keys derive from ids only, so writing the same thing twice overwrites it instead of
 * making a second copy.
 */
public record StorageLayout(String bucketPrefix) {

    public static final StorageLayout DEFAULT = new StorageLayout("meadow-");

    public String bucket(Bucket bucket) {
        return bucketPrefix + bucket.suffix();
    }

    /** A generated image: {@code <jobId>.png} in the images bucket. */
    public String imageKey(String jobId) {
        return safe(jobId) + ".png";
    }

    public String snapshotPrefix(String snapshotId) {
        return safe(snapshotId) + "/";
    }

    public String snapshotManifestKey(String snapshotId) {
        return snapshotPrefix(snapshotId) + "manifest.json";
    }

    public String snapshotCaptionsKey(String snapshotId) {
        return snapshotPrefix(snapshotId) + "captions.jsonl";
    }

    public String snapshotImageKey(String snapshotId, String fileName) {
        return snapshotPrefix(snapshotId) + "images/" + safe(fileName);
    }

    /** Image embeddings of a snapshot under one CLIP model, in the embeddings bucket. */
    public String snapshotImageEmbeddingsKey(String snapshotId, String clipModelId) {
        return snapshotPrefix(snapshotId) + safe(clipModelId) + "/images.emb";
    }

    public String snapshotCaptionEmbeddingsKey(String snapshotId, String clipModelId) {
        return snapshotPrefix(snapshotId) + safe(clipModelId) + "/captions.emb";
    }

    /** A published model version's files, in the models bucket. */
    public String modelPrefix(ModelKind kind, String modelId) {
        return kind.id() + "/" + safe(modelId) + "/";
    }

    /** Training checkpoints of one run, in the models bucket. */
    public String checkpointPrefix(String runId) {
        return "checkpoints/" + safe(runId) + "/";
    }

    /** An evaluation report's files ({@code report.json} and its samples), in the experiments bucket. */
    public String experimentPrefix(String reportId) {
        return safe(reportId) + "/";
    }

    public String experimentFileKey(String reportId, String fileName) {
        return experimentPrefix(reportId) + safe(fileName);
    }

    private static String safe(String id) {
        if (id == null || !Checks.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a safe object-key component: '" + id + "'");
        }
        return id;
    }
}
