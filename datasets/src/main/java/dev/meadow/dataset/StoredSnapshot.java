package dev.meadow.dataset;

import java.nio.file.Path;
import java.util.List;

import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;

/**
 * A snapshot in the object store, fetched by what its manifest names: nothing is listed (listing 100,000 objects
 * took the store minutes), and images come several at a time.
 */
public final class StoredSnapshot {

    private StoredSnapshot() {}

    /** The manifest and captions, in {@code directory}; the images stay in the store. */
    public static Snapshot downloadListing(ObjectStore store, String prefix, Path directory) {
        store.download(Bucket.DATASETS, prefix + Snapshot.MANIFEST, directory.resolve(Snapshot.MANIFEST));
        store.download(Bucket.DATASETS, prefix + Snapshot.CAPTIONS, directory.resolve(Snapshot.CAPTIONS));
        return Snapshot.readListing(directory);
    }

    /** The whole snapshot, in {@code directory}. */
    public static Snapshot download(ObjectStore store, String prefix, Path directory) {
        Snapshot listing = downloadListing(store, prefix, directory);
        downloadImages(store, prefix, listing.imageFiles(), directory);
        return Snapshot.read(directory);
    }

    /** Some of the snapshot's images, to where {@link Snapshot#imagePath} expects them. */
    public static void downloadImages(ObjectStore store, String prefix, List<String> files, Path directory) {
        store.downloadAll(Bucket.DATASETS, prefix + Snapshot.IMAGES + "/", files, directory.resolve(Snapshot.IMAGES));
    }
}
