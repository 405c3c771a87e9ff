package dev.meadow.model.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.meadow.dataset.Snapshot;
import dev.meadow.devstack.EmbeddedObjectStore;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectNotFoundException;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot embedded straight from the store is embedded exactly as from disk, holding one chunk at most. */
@Tag("integration")
class StoredSnapshotEmbedderTest {

    @TempDir
    Path dir;

    @Test
    void aStoredSnapshotIsEmbeddedAsFromDiskAndLeavesNoImagesBehind() throws Exception {
        try (EmbeddedObjectStore server =
                        EmbeddedObjectStore.start(dir.resolve("s3"), 0, "test-access", "test-secret-123");
                ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                        server.endpoint().toString(), "test-access", "test-secret-123", "us-east-1", "e-"));
                ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            store.ensureBuckets();
            Snapshot local = Snapshot.read(TinyModels.get().snapshot());
            store.uploadDirectory(local.directory(), Bucket.DATASETS, "snap/");
            assertThat(store.list(Bucket.DATASETS, "snap/images/")).hasSize(local.size());

            Path work = Files.createDirectories(dir.resolve("work"));
            int[] largestChunk = {0};
            DatasetEmbedder.Embedded fromStore = StoredSnapshotEmbedder.embed(
                    store, "snap/", work, clip, done -> largestChunk[0] = Math.max(largestChunk[0], imagesIn(work)));
            DatasetEmbedder.Embedded fromDisk = DatasetEmbedder.embed(local, clip, done -> {});

            assertThat(fromStore.images().rows()).isEqualTo(local.size());
            assertThat(fromStore.images().toBytes()).isEqualTo(fromDisk.images().toBytes());
            assertThat(fromStore.captions().toBytes())
                    .isEqualTo(fromDisk.captions().toBytes());
            assertThat(imagesIn(work)).as("images left in the work directory").isZero();
            java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
            fromStore.captions().writeTo(streamed);
            assertThat(streamed.toByteArray()).isEqualTo(fromStore.captions().toBytes());
            assertThat(largestChunk[0]).as("images on disk at once").isLessThanOrEqualTo(2 * 256);

            assertThatThrownBy(() -> StoredSnapshotEmbedder.embed(store, "missing/", work, clip, done -> {}))
                    .isInstanceOf(ObjectNotFoundException.class);
        }
    }

    private static int imagesIn(Path work) {
        Path images = work.resolve(Snapshot.IMAGES);
        if (!Files.isDirectory(images)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(images)) {
            return (int) files.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
