package dev.meadow.storage;

/** The object-store buckets Meadow uses. Their names get a configurable prefix (see {@link StorageLayout}). */
public enum Bucket {
    /** Generated PNGs. */
    IMAGES("images"),
    /** Dataset snapshots: images, captions, manifest. */
    DATASETS("datasets"),
    /** CLIP embedding matrices of dataset snapshots. */
    EMBEDDINGS("embeddings"),
    /** Published models and training checkpoints. */
    MODELS("models"),
    /** Evaluation reports and their sample images. */
    EXPERIMENTS("experiments");

    private final String suffix;

    Bucket(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }
}
