package dev.meadow.model.clip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

import dev.meadow.dataset.Snapshot;
import dev.meadow.dataset.StoredSnapshot;
import dev.meadow.storage.ObjectStore;

/**
 * Snapshots in the object store, read the way their size allows: the manifest names every image, so nothing is
 * listed (listing 100,000 objects took the store minutes), and images are fetched a chunk at a time, several at
 * once, while the previous chunk is embedded, then deleted again.
 */
public final class StoredSnapshotEmbedder {

    private StoredSnapshotEmbedder() {}

    /** Embeds the snapshot stored under {@code prefix}, using {@code workDir} for one chunk of images at a time. */
    public static DatasetEmbedder.Embedded embed(
            ObjectStore store, String prefix, Path workDir, ClipModel clip, IntConsumer progress) {
        Snapshot snapshot = StoredSnapshot.downloadListing(store, prefix, workDir);
        return DatasetEmbedder.embed(
                snapshot,
                new DatasetEmbedder.ImageSource() {
                    @Override
                    public void fetch(List<String> files) {
                        StoredSnapshot.downloadImages(store, prefix, files, workDir);
                    }

                    @Override
                    public void release(List<String> files) {
                        try {
                            for (String file : files) {
                                Files.deleteIfExists(snapshot.imagePath(file));
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                },
                clip,
                progress);
    }
}
