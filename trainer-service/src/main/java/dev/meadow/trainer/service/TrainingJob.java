package dev.meadow.trainer.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.SnapshotEmbeddings;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.dataset.EmbeddingMatrix;
import dev.meadow.dataset.InvalidSnapshotException;
import dev.meadow.dataset.Snapshot;
import dev.meadow.dataset.StoredSnapshot;
import dev.meadow.files.Directories;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.DecoderPairing;
import dev.meadow.model.cvae.EpochReport;
import dev.meadow.model.cvae.StepListener;
import dev.meadow.model.cvae.TrainingSettings;
import dev.meadow.model.prior.PriorCard;
import dev.meadow.model.prior.PriorTraining;
import dev.meadow.model.publishing.ModelPublishing;
import dev.meadow.retry.Backoff;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectNotFoundException;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreException;
import dev.meadow.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Trains the CVAE a snapshot asks for. Run and model ids derive from the snapshot, so a snapshot delivered again
 * (after a crash, say) resumes the same run from its last checkpoint, or is skipped if its model is published.
 */
@ApplicationScoped
public class TrainingJob {

    private static final Logger LOG = Logger.getLogger(TrainingJob.class);

    /** Ends a run that was cancelled while it trained, between two epochs (or before the first). */
    private static final class RunCancelled extends RuntimeException {

        final int epoch;

        RunCancelled(int epoch) {
            super("cancelled after epoch " + epoch, null, false, false);
            this.epoch = epoch;
        }
    }

    /** What is training right now, for the health check. */
    public record Progress(String runId, String snapshotId, int epoch, int epochs) {}

    private final ObjectStore store;
    private final ModelCatalog catalog;
    private final CheckpointMirror checkpoints;
    private final TrainingOutput output;
    private final CancelledRuns cancelledRuns;
    private final ServiceConfig service;
    private final TrainerConfig config;
    private final TrainerMetrics metrics;

    public TrainingJob(
            ObjectStore store,
            ModelCatalog catalog,
            CheckpointMirror checkpoints,
            TrainingOutput output,
            CancelledRuns cancelledRuns,
            ServiceConfig service,
            TrainerConfig config,
            TrainerMetrics metrics) {
        this.store = store;
        this.catalog = catalog;
        this.checkpoints = checkpoints;
        this.output = output;
        this.cancelledRuns = cancelledRuns;
        this.service = service;
        this.config = config;
        this.metrics = metrics;
    }

    private final AtomicReference<Progress> progress = new AtomicReference<>();
    private final AtomicReference<String> delay = new AtomicReference<>();

    public Optional<Progress> progress() {
        return Optional.ofNullable(progress.get());
    }

    public static String runId(DatasetSnapshot snapshot) {
        return TrainingEvent.runIdFor(snapshot.snapshotId());
    }

    public static String modelId(DatasetSnapshot snapshot) {
        TrainingRequest t = snapshot.training();
        return t.preset() + "-" + t.conditioning().id().replace('+', '-') + "-" + snapshot.snapshotId();
    }

    /** Why the snapshot in hand is waiting to be tried again (an outage of the store or broker), if it is. */
    public Optional<String> delayed() {
        return Optional.ofNullable(delay.get());
    }

    /**
     * Trains a snapshot, trying again with backoff while it fails because the object store or the broker cannot be
     * reached: an outage delays training, it never loses a snapshot. Any other failure ends the run with a
     * {@code failed} event, so that one bad snapshot cannot hold up the queue for ever. The queue waits meanwhile,
     * since its offset is committed only when this returns.
     */
    public void trainUntilSettled(SnapshotEmbeddings embedded) {
        String snapshotId = embedded.snapshot().snapshotId();
        Backoff backoff = new Backoff(config.retryBackoff(), config.maxRetryBackoff());
        for (int attempt = 1; ; attempt++) {
            try {
                try {
                    train(embedded);
                } catch (RuntimeException e) {
                    if (isOutage(e)) {
                        throw e;
                    }
                    LOG.errorf(e, "Training of snapshot %s failed", snapshotId);
                    output.event(
                            TrainingEvent.failed(runId(embedded.snapshot()), snapshotId, e.toString(), Instant.now()));
                }
                delay.set(null);
                return;
            } catch (RuntimeException e) {
                Duration wait = backoff.next();
                String why = "snapshot " + snapshotId + " failed on attempt " + attempt + " (" + e + "); trying "
                        + "again in " + wait.toMillis() + " ms";
                LOG.warn(why);
                delay.set(why);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    // Shutting down: the channel fails (failure-strategy=fail) rather than commit this offset, so
                    // the snapshot comes back after a restart.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(
                            "interrupted while waiting to retry snapshot " + snapshotId, interrupted);
                }
            }
        }
    }

    /** Whether a failure comes from the store or the broker being unreachable, which passes, rather than the data. */
    static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if ((cause instanceof ObjectStoreException && !(cause instanceof ObjectNotFoundException))
                    || cause instanceof RetriableException
                    || cause instanceof IOException
                    || cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Trains a snapshot once. Bad data or a diverging run ends with a {@code failed} training event; anything else
     * (an outage) is thrown, for {@link #trainUntilSettled} to try again.
     */
    public void train(SnapshotEmbeddings embedded) {
        DatasetSnapshot snapshot = embedded.snapshot();
        String runId = runId(snapshot);
        String modelId = modelId(snapshot);
        if (cancelledRuns.isCancelled(runId)) {
            LOG.infof("Run %s was cancelled before it started; skipping snapshot %s", runId, snapshot.snapshotId());
            return;
        }
        if (catalog.published(ModelKind.CVAE, modelId).isPresent()) {
            LOG.infof("Model %s of snapshot %s is already published; nothing to do", modelId, snapshot.snapshotId());
            return;
        }
        Path root = service.workDir().resolve("training").resolve(runId);
        Path workDir = root.resolve("checkpoints");
        try {
            CvaeTraining.Spec spec = spec(snapshot, embedded.clipModelId());
            if (CvaeTraining.epochsDone(workDir) == 0) {
                Directories.deleteRecursively(workDir);
                checkpoints.download(runId, workDir);
            }
            CvaeData data = load(embedded, spec.preset(), root.resolve("snapshot"));
            progress.set(new Progress(
                    runId,
                    snapshot.snapshotId(),
                    CvaeTraining.epochsDone(workDir),
                    spec.settings().epochs()));
            CvaeTraining.Outcome outcome = CvaeTraining.train(data, spec, workDir, new Events(snapshot, runId));
            Path modelDir = root.resolve("model");
            DecoderCard card = CvaeTraining.export(outcome, spec, data.dimension(), modelId, modelDir);
            String priorId = null;
            if (snapshot.training().trainsPrior()) {
                // Published before the decoder that names it, so that no generator meets a decoder whose prior
                // it cannot find.
                priorId = publishPrior(data, snapshot, embedded.clipModelId(), runId, root.resolve("prior"));
                if (priorId != null) {
                    card = DecoderPairing.nameInCard(modelDir, priorId);
                }
            }
            String prefix = ModelPublishing.upload(store, ModelKind.CVAE, modelId, modelDir, DecoderCard.FILE_NAME);
            ModelPublished published =
                    ModelPublishing.decoder(card, prefix, snapshot.snapshotId(), runId, Instant.now());
            output.model(published);
            if (snapshot.training().activate()) {
                if (priorId != null) {
                    output.model(ModelActivated.of(ModelKind.PRIOR, priorId, Instant.now()));
                }
                output.model(ModelActivated.of(ModelKind.CVAE, modelId, Instant.now()));
            }
            output.event(TrainingEvent.finished(
                    runId, snapshot.snapshotId(), spec.settings().epochs(), modelId, Instant.now()));
            LOG.infof(
                    "Published %s: best validation loss %.1f at epoch %d",
                    modelId, card.bestValidation().total(), card.bestEpoch());
            Directories.deleteRecursively(root);
        } catch (RunCancelled e) {
            LOG.infof("Run %s was cancelled after epoch %d; no model is published", runId, e.epoch);
            Directories.deleteRecursively(root);
        } catch (InvalidSnapshotException
                | ObjectNotFoundException
                | IllegalArgumentException
                | IllegalStateException e) {
            // Bad data or a diverging run: retrying cannot help, so say why and move on to the next snapshot.
            LOG.errorf("Training run %s failed: %s", runId, e.getMessage());
            output.event(TrainingEvent.failed(runId, snapshot.snapshotId(), e.getMessage(), Instant.now()));
        } finally {
            progress.set(null);
        }
    }

    public static String priorModelId(DatasetSnapshot snapshot) {
        return "prior-" + snapshot.snapshotId();
    }

    /**
     * The snapshot's prior, published: one published by an earlier try of this run is kept (a retried run must not
     * give one id two sets of weights). Null, with a warning, where the snapshot is too small to train one: the
     * decoder is published alone rather than lost.
     */
    private String publishPrior(CvaeData data, DatasetSnapshot snapshot, String clipModelId, String runId, Path dir) {
        String priorId = priorModelId(snapshot);
        if (catalog.published(ModelKind.PRIOR, priorId).isPresent()) {
            return priorId;
        }
        PriorCard prior;
        try {
            prior = trainPrior(data, snapshot, clipModelId, priorId, dir);
        } catch (IllegalArgumentException e) {
            LOG.warnf(
                    "No prior for snapshot %s (%s): its decoder draws from the prompts' embeddings",
                    snapshot.snapshotId(), e.getMessage());
            return null;
        }
        String prefix = ModelPublishing.upload(store, ModelKind.PRIOR, priorId, dir, PriorCard.FILE_NAME);
        output.model(ModelPublishing.prior(prior, prefix, snapshot.snapshotId(), runId, Instant.now()));
        return priorId;
    }

    /**
     * A prior on the snapshot's own (caption, image) embedding pairs, with the run's seed; the batch shrinks for
     * small snapshots so that an epoch has steps.
     */
    private PriorCard trainPrior(
            CvaeData data, DatasetSnapshot snapshot, String clipModelId, String priorId, Path out) {
        Directories.deleteRecursively(out);
        PriorTraining.Settings defaults = PriorTraining.Settings.defaults();
        int trainPairs = (int) (data.captionImage().length * (1 - defaults.validationShare()));
        PriorTraining.Settings settings = defaults.withSeed(snapshot.training().seed())
                .withBatchSize(Math.max(2, Math.min(defaults.batchSize(), trainPairs / 4)))
                .withThreads(config.threads());
        PriorCard card = PriorTraining.train(
                new PriorTraining.Pairs(
                        data.dimension(),
                        data.count(),
                        data.imageEmbeddings(),
                        data.captionEmbeddings(),
                        data.captionImage()),
                settings,
                priorId,
                clipModelId,
                snapshot.snapshotId(),
                out,
                new PriorTraining.Listener() {});
        LOG.infof(
                "Prior %s trained: a draw is %.3f from its caption's image (the caption's text %.3f)",
                priorId, card.validation().drawToImage(), card.validation().textToImage());
        return card;
    }

    /** What a snapshot asks to train, as the model code takes it. */
    public CvaeTraining.Spec spec(DatasetSnapshot snapshot, String clipModelId) {
        TrainingRequest t = snapshot.training();
        CvaePreset preset = CvaePreset.named(t.preset());
        TrainingSettings settings = TrainingSettings.defaults()
                .withEpochs(t.epochs())
                .withBatchSize(t.batchSize())
                .withLearningRate((float) t.learningRate())
                .withSeed(t.seed())
                .withThreads(config.threads())
                .withValidationFraction(t.validationFraction());
        return new CvaeTraining.Spec(preset, t.conditioning(), settings, clipModelId, snapshot.name());
    }

    private CvaeData load(SnapshotEmbeddings embedded, CvaePreset preset, Path local) {
        String snapshotId = embedded.snapshot().snapshotId();
        Directories.deleteRecursively(local);
        Snapshot snapshot = StoredSnapshot.download(store, store.layout().snapshotPrefix(snapshotId), local);
        EmbeddingMatrix images = EmbeddingMatrix.fromBytes(store.get(Bucket.EMBEDDINGS, embedded.imageEmbeddingsKey()));
        EmbeddingMatrix captions =
                EmbeddingMatrix.fromBytes(store.get(Bucket.EMBEDDINGS, embedded.captionEmbeddingsKey()));
        return CvaeData.of(snapshot, preset.imageSize(), images, captions);
    }

    /** Publishes the run's progress and mirrors every checkpoint to the object store. */
    private final class Events implements CvaeTraining.Listener {

        private final DatasetSnapshot snapshot;
        private final String runId;

        Events(DatasetSnapshot snapshot, String runId) {
            this.snapshot = snapshot;
            this.runId = runId;
        }

        @Override
        public void started(
                int firstEpoch,
                int epochs,
                int trainImages,
                int validationImages,
                java.util.List<EpochReport> history) {
            // Loading a large snapshot takes a while: a cancellation that came meanwhile stops it before epoch one.
            if (cancelledRuns.isCancelled(runId)) {
                throw new RunCancelled(firstEpoch - 1);
            }
            boolean resumed = !history.isEmpty();
            LOG.infof(
                    "%s run %s on %d images (%d held out), epochs %d..%d",
                    resumed ? "Resuming" : "Starting", runId, trainImages, validationImages, firstEpoch, epochs);
            output.event(
                    TrainingEvent.started(runId, snapshot.snapshotId(), epochs, resumed, firstEpoch, Instant.now()));
            if (resumed) {
                // The previous trainer may have died between keeping this checkpoint and announcing its epoch.
                EpochReport last = history.get(history.size() - 1);
                metrics.resumedAt(last);
                announce(last);
            }
        }

        @Override
        public StepListener epochStarted(int epoch) {
            return metrics.steps();
        }

        @Override
        public void epochFinished(EpochReport report) {
            metrics.epochFinished(report);
            announce(report);
        }

        /** Tells the system about a finished epoch (again, after a resume), and stops if the run was cancelled. */
        private void announce(EpochReport report) {
            LOG.infof(
                    "Run %s epoch %d: train %.1f, validation %.1f",
                    runId,
                    report.epoch(),
                    report.train().total(),
                    report.validation().total());
            output.event(TrainingEvent.epoch(
                    runId,
                    snapshot.snapshotId(),
                    report.epoch(),
                    snapshot.training().epochs(),
                    report.train(),
                    report.validation(),
                    Instant.now()));
            progress.set(new Progress(
                    runId,
                    snapshot.snapshotId(),
                    report.epoch(),
                    snapshot.training().epochs()));
            if (cancelledRuns.isCancelled(runId)) {
                throw new RunCancelled(report.epoch());
            }
        }

        @Override
        public void checkpointed(Path workDir, int epoch) {
            checkpoints.upload(runId, workDir);
        }
    }
}
