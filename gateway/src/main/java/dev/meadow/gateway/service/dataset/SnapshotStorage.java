package dev.meadow.gateway.service.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.meadow.dataset.CaptionLine;
import dev.meadow.dataset.ImageEntry;
import dev.meadow.dataset.Snapshot;
import dev.meadow.dataset.SnapshotManifest;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreException;
import dev.meadow.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Lays out an upload's kept images and captions as a snapshot, and stores it whole or not at all. */
@ApplicationScoped
public class SnapshotStorage {

    private static final Logger LOG = Logger.getLogger(SnapshotStorage.class);

    private final ObjectStore store;

    public SnapshotStorage(ObjectStore store) {
        this.store = store;
    }

    /** Moves the kept images of {@code files} into a snapshot directory with its manifest and captions. */
    public static Snapshot write(Path dir, String name, UploadCaptions kept, ArchiveExtractor.Extracted files)
            throws IOException {
        Files.createDirectories(dir.resolve(Snapshot.IMAGES));
        List<ImageEntry> entries = new ArrayList<>();
        List<CaptionLine> lines = new ArrayList<>();
        for (var entry : kept.captions().entrySet()) {
            Files.move(
                    files.images().get(entry.getKey()),
                    dir.resolve(Snapshot.IMAGES).resolve(entry.getKey()));
            entries.add(new ImageEntry(entry.getKey(), kept.attributes().getOrDefault(entry.getKey(), Map.of())));
            entry.getValue().forEach(c -> lines.add(new CaptionLine(entry.getKey(), c)));
        }
        return Snapshot.write(
                dir,
                new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, name, kept.source(), 0, Instant.now(), entries),
                lines);
    }

    /**
     * Stores every file of a snapshot directory; if that fails partway, removes what was stored.
     *
     * @throws ServiceUnavailableException when the object store did not take it
     */
    public void store(String snapshotId, Path dir) {
        String prefix = store.layout().snapshotPrefix(snapshotId);
        try {
            store.uploadDirectory(dir, Bucket.DATASETS, prefix);
        } catch (ObjectStoreException e) {
            try {
                for (StoredObject object : store.list(Bucket.DATASETS, prefix)) {
                    store.delete(Bucket.DATASETS, object.key());
                }
            } catch (ObjectStoreException cleanup) {
                LOG.warnf("Could not remove the partial upload %s: %s", prefix, cleanup.getMessage());
            }
            throw new ServiceUnavailableException("the object store did not take the dataset: " + e.getMessage());
        }
    }
}
