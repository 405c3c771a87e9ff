package dev.meadow.embedder.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.SnapshotEmbeddings;
import dev.meadow.dataset.EmbeddingMatrix;
import dev.meadow.files.Directories;
import dev.meadow.model.clip.DatasetEmbedder;
import dev.meadow.model.clip.StoredSnapshotEmbedder;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectNotFoundException;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreException;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Embeds every image and caption of a dataset snapshot once with the active CLIP model and stores the matrices in
 * the embeddings bucket, at keys derived from the snapshot and the model (so doing it twice overwrites).
 */
@ApplicationScoped
public class SnapshotEmbedding {

    private static final Logger LOG = Logger.getLogger(SnapshotEmbedding.class);

    private final ObjectStore store;
    private final ClipRuntime clip;
    private final ServiceConfig config;

    public SnapshotEmbedding(ObjectStore store, ClipRuntime clip, ServiceConfig config) {
        this.store = store;
        this.clip = clip;
        this.config = config;
    }

    @Retry(
            maxRetries = 10,
            delay = 1000,
            maxDuration = 300_000,
            retryOn = ObjectStoreException.class,
            abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(maxDelay = 15_000)
    public SnapshotEmbeddings embed(DatasetSnapshot snapshot) {
        Path local = config.workDir().resolve("snapshots").resolve(snapshot.snapshotId());
        try {
            Directories.deleteRecursively(local);
            createDirectories(local);
            long start = System.nanoTime();
            int total = snapshot.imageCount() + snapshot.captionCount();
            int[] logged = {0};
            DatasetEmbedder.Embedded embedded = clip.use(model -> StoredSnapshotEmbedder.embed(
                    store, store.layout().snapshotPrefix(snapshot.snapshotId()), local, model, done -> {
                        // About every tenth of the way, so that a large snapshot shows it is moving.
                        if (done * 10L / total > logged[0]) {
                            logged[0] = (int) (done * 10L / total);
                            LOG.infof(
                                    "Snapshot %s: %d of %d images and captions embedded",
                                    snapshot.snapshotId(), done, total);
                        }
                    }));
            String imagesKey = store.layout().snapshotImageEmbeddingsKey(snapshot.snapshotId(), embedded.clipModelId());
            String captionsKey =
                    store.layout().snapshotCaptionEmbeddingsKey(snapshot.snapshotId(), embedded.clipModelId());
            store(imagesKey, embedded.images(), local.resolve("images.emb"));
            store(captionsKey, embedded.captions(), local.resolve("captions.emb"));
            LOG.infof(
                    "Embedded snapshot %s (%d images, %d captions) with %s in %.1f s",
                    snapshot.snapshotId(),
                    embedded.images().rows(),
                    embedded.captions().rows(),
                    embedded.clipModelId(),
                    (System.nanoTime() - start) / 1e9);
            return SnapshotEmbeddings.of(
                    snapshot,
                    embedded.clipModelId(),
                    embedded.images().dimension(),
                    imagesKey,
                    captionsKey,
                    Instant.now());
        } finally {
            Directories.deleteRecursively(local);
        }
    }

    /** Through a file: a COCO-sized matrix is hundreds of megabytes, which a byte array would hold twice. */
    private void store(String key, EmbeddingMatrix matrix, Path file) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            matrix.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.putFile(Bucket.EMBEDDINGS, key, file, "application/octet-stream");
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
