package dev.meadow.gateway.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.Json;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.dataset.CaptionLine;
import dev.meadow.dataset.ImageEntry;
import dev.meadow.dataset.Snapshot;
import dev.meadow.dataset.SnapshotManifest;
import dev.meadow.files.Directories;
import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.api.DatasetView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.messaging.DatasetPublisher;
import dev.meadow.gateway.service.dataset.ArchiveExtractor;
import dev.meadow.gateway.service.dataset.CocoCaptions;
import dev.meadow.gateway.service.dataset.DropReport;
import dev.meadow.gateway.service.dataset.KeywordFilter;
import dev.meadow.gateway.service.dataset.TrainingRequests;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.gateway.service.readmodel.ReadModel;
import dev.meadow.gateway.service.text.Utf8Lines;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreException;
import dev.meadow.storage.StoredObject;
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
    private static final String CAPTIONS_FILE = ArchiveExtractor.CAPTIONS_FILE;

    private final GatewayConfig config;
    private final ObjectStore store;
    private final DatasetPublisher publisher;
    private final ReadModel readModel;

    public DatasetService(GatewayConfig config, ObjectStore store, DatasetPublisher publisher, ReadModel readModel) {
        this.config = config;
        this.store = store;
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

    public DatasetView upload(DatasetUpload upload) {
        TrainingRequest training = TrainingRequests.of(upload, config.datasets());
        if (upload.archive() == null) {
            throw UploadRejectedException.invalid("the upload needs a zip archive of images (field 'images')");
        }
        if (upload.archiveSize() > config.datasets().maxArchiveBytes()) {
            throw UploadRejectedException.tooLarge("the archive is " + upload.archiveSize() + " bytes; the limit is "
                    + config.datasets().maxArchiveBytes());
        }
        String name = upload.name() == null || upload.name().isBlank()
                ? "upload"
                : upload.name().strip();
        if (name.length() > 200) {
            throw UploadRejectedException.invalid("the name is longer than 200 characters");
        }
        if (upload.annotations() != null) {
            checkAnnotationsSize(upload.annotations());
        }
        KeywordFilter filter = new KeywordFilter(upload.keywords() == null ? List.of() : upload.keywords());
        Path work = null;
        try {
            work = Files.createTempDirectory("meadow-upload-");
            ArchiveExtractor.Extracted files = new ArchiveExtractor(config.datasets())
                    .extract(upload.archive(), work, upload.annotations() == null ? CAPTIONS_FILE : null);
            DropReport dropped = new DropReport();
            files.litter()
                    .forEach(f -> dropped.add(
                            "archive litter (Thumbs.db, .DS_Store, __MACOSX and the like), " + "ignored", f));
            Map<String, List<String>> captions;
            Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
            String source;
            if (upload.annotations() != null) {
                captions = fromCoco(upload.annotations(), files, attributes, dropped);
                source = "coco";
            } else {
                captions = fromJsonLines(files, dropped);
                source = "captions-jsonl";
            }
            Map<String, List<String>> kept = new LinkedHashMap<>();
            captions.forEach((file, list) -> {
                if (list.stream().anyMatch(filter::matches)) {
                    kept.put(file, list);
                } else {
                    dropped.add(
                            "no caption has any of the keywords "
                                    + String.join(
                                            ", ",
                                            filter.keywords().stream().sorted().toList()),
                            file);
                }
            });
            if (kept.isEmpty()) {
                throw UploadRejectedException.invalid(
                        filter.keepsAll()
                                ? "no image of the upload has a caption"
                                : "no image has a caption with the words " + filter.keywords());
            }
            int minimum = training.batchSize() + 2;
            if (kept.size() < minimum) {
                throw UploadRejectedException.invalid("only " + kept.size() + " images remain; training with batch "
                        + "size " + training.batchSize() + " needs at least " + minimum);
            }
            String snapshotId = "ds-" + JobIds.newBatchId(Instant.now());
            Path snapshotDir = work.resolve("snapshot");
            Snapshot snapshot = write(snapshotDir, name, source, kept, files, attributes);
            int captionCount = kept.values().stream().mapToInt(List::size).sum();
            storeAll(snapshotId, snapshotDir);
            DatasetSnapshot record = DatasetSnapshot.of(
                    snapshotId,
                    name,
                    source,
                    snapshot.size(),
                    captionCount,
                    CvaePreset.named(training.preset()).imageSize(),
                    training,
                    Instant.now());
            publisher.publish(record);
            LOG.infof(
                    "Dataset %s (%s): %d images, %d captions queued for %s training",
                    snapshotId, source, snapshot.size(), captionCount, training.preset());
            return new DatasetView(
                    snapshotId,
                    name,
                    source,
                    snapshot.size(),
                    captionCount,
                    training.preset(),
                    training.conditioning().id(),
                    training.epochs(),
                    "queued",
                    null,
                    null,
                    null,
                    record.createdAt(),
                    dropped.toList());
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

    private void checkAnnotationsSize(Path annotations) {
        try {
            long size = Files.size(annotations);
            if (size > config.datasets().maxAnnotationsBytes()) {
                throw UploadRejectedException.tooLarge("the annotations are " + size + " bytes; the limit is "
                        + config.datasets().maxAnnotationsBytes()
                        + " (meadow.gateway.datasets.max-annotations-bytes)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> fromCoco(
            Path annotations,
            ArchiveExtractor.Extracted files,
            Map<String, Map<String, Object>> attributes,
            DropReport dropped) {
        CocoCaptions.Annotations coco = CocoCaptions.read(annotations, files.images()::containsKey);
        dropped.add("listed in the annotations but not in the archive", coco.unwanted(), coco.unwantedExamples());
        Map<String, List<String>> captions = new LinkedHashMap<>();
        for (CocoCaptions.Image image : coco.images()) {
            if (image.captions().isEmpty()) {
                dropped.add("in the annotations without a caption", image.fileName());
                continue;
            }
            captions.put(image.fileName(), image.captions());
            attributes.put(image.fileName(), image.attributes());
        }
        Set<String> annotated = new HashSet<>();
        coco.images().forEach(image -> annotated.add(image.fileName()));
        files.images().keySet().stream()
                .filter(f -> !annotated.contains(f))
                .forEach(f -> dropped.add("in the archive but not in the annotations", f));
        if (captions.isEmpty()) {
            throw UploadRejectedException.invalid("none of the annotated images is in the archive"
                    + (coco.unwanted() > 0 ? " (" + coco.unwanted() + " annotated images are missing)" : ""));
        }
        return captions;
    }

    private Map<String, List<String>> fromJsonLines(ArchiveExtractor.Extracted files, DropReport dropped)
            throws IOException {
        if (files.captions() == null) {
            throw UploadRejectedException.invalid("the archive has no captions.jsonl (or send COCO annotations)");
        }
        Map<String, List<String>> captions = new LinkedHashMap<>();
        try (Utf8Lines in = new Utf8Lines(Files.newInputStream(files.captions()), config.maxLineBytes())) {
            String line;
            while ((line = in.next()) != null) {
                int number = in.number();
                if (line.isBlank()) {
                    continue;
                }
                CaptionLine caption;
                try {
                    caption = Json.mapper().readValue(line, CaptionLine.class);
                } catch (JsonProcessingException e) {
                    throw UploadRejectedException.invalid("captions.jsonl line " + number + " is not valid JSON");
                }
                if (caption.image() == null
                        || caption.caption() == null
                        || caption.caption().isBlank()) {
                    throw UploadRejectedException.invalid(
                            "captions.jsonl line " + number + " needs an image and a caption");
                }
                // Lines may name an image by its path in the archive; images are matched by their file name.
                String image = ArchiveExtractor.fileName(caption.image());
                if (!files.images().containsKey(image)) {
                    throw UploadRejectedException.invalid("captions.jsonl line " + number + " names image "
                            + caption.image() + ", which is not in the archive");
                }
                captions.computeIfAbsent(image, k -> new ArrayList<>())
                        .add(caption.caption().strip());
            }
        } catch (Utf8Lines.BadLine e) {
            throw UploadRejectedException.invalid("captions.jsonl line " + e.line()
                    + (e.tooLong() ? " is longer than " + config.maxLineBytes() + " bytes" : " is not valid UTF-8"));
        }
        files.images().keySet().stream()
                .filter(f -> !captions.containsKey(f))
                .forEach(f -> dropped.add("in the archive without a caption in captions.jsonl", f));
        return captions;
    }

    private static Snapshot write(
            Path dir,
            String name,
            String source,
            Map<String, List<String>> captions,
            ArchiveExtractor.Extracted files,
            Map<String, Map<String, Object>> attributes)
            throws IOException {
        Files.createDirectories(dir.resolve(Snapshot.IMAGES));
        List<ImageEntry> entries = new ArrayList<>();
        List<CaptionLine> lines = new ArrayList<>();
        for (var entry : captions.entrySet()) {
            Files.move(
                    files.images().get(entry.getKey()),
                    dir.resolve(Snapshot.IMAGES).resolve(entry.getKey()));
            entries.add(new ImageEntry(entry.getKey(), attributes.getOrDefault(entry.getKey(), Map.of())));
            entry.getValue().forEach(c -> lines.add(new CaptionLine(entry.getKey(), c)));
        }
        return Snapshot.write(
                dir,
                new SnapshotManifest(SnapshotManifest.FORMAT_VERSION, name, source, 0, Instant.now(), entries),
                lines);
    }

    /** Stores every file of the snapshot; if that fails partway, removes what was stored. */
    private void storeAll(String snapshotId, Path dir) {
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
