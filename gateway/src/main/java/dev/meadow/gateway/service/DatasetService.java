package dev.meadow.gateway.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.dataset.Snapshot;
import dev.meadow.files.Directories;
import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.api.DatasetView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.messaging.DatasetPublisher;
import dev.meadow.gateway.service.dataset.ArchiveExtractor;
import dev.meadow.gateway.service.dataset.DropReport;
import dev.meadow.gateway.service.dataset.KeywordFilter;
import dev.meadow.gateway.service.dataset.SnapshotStorage;
import dev.meadow.gateway.service.dataset.TrainingRequests;
import dev.meadow.gateway.service.dataset.UploadCaptions;
import dev.meadow.gateway.service.dataset.UploadChecks;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.readmodel.ReadModel;
import dev.meadow.model.cvae.CvaePreset;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Dataset uploads: a zip of images with COCO captions JSON or a {@code captions.jsonl}, optionally filtered by
 * keywords, turned into a snapshot, stored, and queued for training. Everything is checked before anything is
 * stored; an upload that fails halfway through storing is removed again.
 */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);

    private final GatewayConfig config;
    private final SnapshotStorage snapshots;
    private final DatasetPublisher publisher;
    private final ReadModel readModel;

    public DatasetService(
            GatewayConfig config, SnapshotStorage snapshots, DatasetPublisher publisher, ReadModel readModel) {
        this.config = config;
        this.snapshots = snapshots;
        this.publisher = publisher;
        this.readModel = readModel;
    }

    public List<DatasetView> list() {
        return readModel.datasets().all();
    }

    /** Cancels a snapshot's training: skipped if it has not started, stopped after its current epoch if it has. */
    public DatasetView cancel(String snapshotId) {
        DatasetView dataset = readModel
                .datasets()
                .get(snapshotId)
                .orElseThrow(() -> new NotFoundException("no dataset " + snapshotId));
        if (!dataset.cancellable()) {
            throw new ConflictException(
                    "the training of " + snapshotId + " has already ended (" + dataset.state() + ")");
        }
        publisher.publish(TrainingEvent.cancelled(TrainingEvent.runIdFor(snapshotId), snapshotId, Instant.now()));
        return dataset.withState("cancelled");
    }

    /**
     * Checks an upload, extracts it, keeps the images whose captions pass its keyword filter, stores them as a
     * snapshot and queues the snapshot for training.
     */
    public DatasetView upload(DatasetUpload upload) {
        TrainingRequest training = TrainingRequests.of(upload, config.datasets());
        String name = UploadChecks.check(upload, config.datasets());
        KeywordFilter filter = new KeywordFilter(upload.keywords() == null ? List.of() : upload.keywords());
        Path work = null;
        try {
            work = Files.createTempDirectory("meadow-upload-");
            ArchiveExtractor.Extracted files = new ArchiveExtractor(config.datasets())
                    .extract(
                            upload.archive(),
                            work,
                            upload.annotations() == null ? ArchiveExtractor.CAPTIONS_FILE : null);
            DropReport dropped = new DropReport();
            files.litter()
                    .forEach(f ->
                            dropped.add("archive litter (Thumbs.db, .DS_Store, __MACOSX and the like), ignored", f));
            UploadCaptions kept = (upload.annotations() != null
                            ? UploadCaptions.fromCoco(upload.annotations(), files, dropped)
                            : UploadCaptions.fromJsonLines(files, config.maxLineBytes(), dropped))
                    .keep(filter, dropped);
            UploadChecks.requireEnoughImages(kept.imageCount(), training);

            String snapshotId = "ds-" + JobIds.newBatchId(Instant.now());
            Path snapshotDir = work.resolve("snapshot");
            Snapshot snapshot = SnapshotStorage.write(snapshotDir, name, kept, files);
            snapshots.store(snapshotId, snapshotDir);
            DatasetSnapshot record = DatasetSnapshot.of(
                    snapshotId,
                    name,
                    kept.source(),
                    snapshot.size(),
                    kept.captionCount(),
                    CvaePreset.named(training.preset()).imageSize(),
                    training,
                    Instant.now());
            publisher.publish(record);
            LOG.infof(
                    "Dataset %s (%s): %d images, %d captions queued for %s training",
                    snapshotId, kept.source(), snapshot.size(), kept.captionCount(), training.preset());
            return DatasetView.queued(record, dropped.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Directories.deleteRecursively(work);
            } catch (UncheckedIOException e) {
                LOG.warnf("Could not remove %s: %s", work, e.getMessage());
            }
        }
    }
}
