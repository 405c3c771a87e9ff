package dev.meadow.model.cvae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.Json;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.files.Directories;

/**
 * A whole CVAE training run in a work directory: split, epochs, a checkpoint after every epoch, and the export of
 * the epoch with the best validation loss. A run whose work directory already holds a checkpoint of the same
 * training resumes after its last finished epoch.
 *
 * <p>Work directory layout: {@code state.json} (which checkpoint is latest and best, the history so far) and one
 * directory per checkpoint. {@code state.json} is replaced atomically and only after its checkpoints are complete,
 * so a run killed at any moment resumes from a consistent state.
 */
public final class CvaeTraining {

    static final String STATE = "state.json";

    private CvaeTraining() {}

    /**
     * What to train.
     *
     * @param clipDirectory the conditioning CLIP's directory; needed only for a CLIP-consistency or perceptual term
     * @param warmStart another run's work directory whose latest checkpoint a new run starts from (fine-tuning with
     *     other loss weights), or null to start from scratch
     */
    public record Spec(
            CvaePreset preset,
            ConditioningMode conditioning,
            TrainingSettings settings,
            String clipModelId,
            String dataset,
            Path clipDirectory,
            Path warmStart) {

        public Spec(
                CvaePreset preset,
                ConditioningMode conditioning,
                TrainingSettings settings,
                String clipModelId,
                String dataset,
                Path clipDirectory) {
            this(preset, conditioning, settings, clipModelId, dataset, clipDirectory, null);
        }

        public Spec(
                CvaePreset preset,
                ConditioningMode conditioning,
                TrainingSettings settings,
                String clipModelId,
                String dataset) {
            this(preset, conditioning, settings, clipModelId, dataset, null, null);
        }
    }

    /** Hears the run's progress. */
    public interface Listener {

        /** {@code history} holds the epochs a resumed run had finished before (empty for a new run). */
        default void started(
                int firstEpoch, int epochs, int trainImages, int validationImages, List<EpochReport> history) {}

        default StepListener epochStarted(int epoch) {
            return StepListener.NONE;
        }

        default void epochFinished(EpochReport report) {}

        /** The work directory holds a complete checkpoint of {@code epoch} now (e.g. to copy it elsewhere). */
        default void checkpointed(Path workDir, int epoch) {}
    }

    /** {@code state.json}. */
    record State(
            String preset,
            int conditionDim,
            ConditioningMode conditioning,
            TrainingSettings settings,
            int epochsDone,
            long globalStep,
            String latest,
            String best,
            int bestEpoch,
            LossBreakdown bestValidation,
            List<EpochReport> history,
            String clipModelId,
            WarmStart warmStart,
            String dataset,
            Integer images) {}

    /**
     * Where a warm-started run began: another run's work directory, how many epochs lie behind it (the source's,
     * and those of any run it was warm-started from in turn), and the step it went on from.
     */
    public record WarmStart(String workDir, int epochsBefore, long globalStep) {}

    /** What a finished run produced. */
    public record Outcome(
            List<EpochReport> history,
            int bestEpoch,
            LossBreakdown bestValidation,
            Path bestCheckpoint,
            int trainImages,
            int validationImages,
            long parameters,
            WarmStart warmStart) {}

    public static Outcome train(CvaeData data, Spec spec, Path workDir, Listener listener) {
        TrainingSettings settings = spec.settings();
        settings.validate();
        if (data.imageSize() != spec.preset().imageSize()) {
            throw new IllegalArgumentException("preset " + spec.preset().name() + " draws "
                    + spec.preset().imageSize() + " pixels but the images are " + data.imageSize());
        }
        int[][] split = split(data.count(), settings.validationFraction(), settings.seed());
        int[] train = split[0];
        int[] validation = split[1];
        if (train.length < settings.batchSize()) {
            throw new IllegalArgumentException(
                    "only " + train.length + " training images for batch size " + settings.batchSize());
        }
        State state = readState(workDir);
        if (state != null) {
            checkSameTraining(state, spec, data.dimension(), workDir);
        }
        WarmStart warmStart = state != null ? state.warmStart() : null;
        State source = null;
        if (state == null && spec.warmStart() != null) {
            source = warmStartSource(spec, data.dimension(), data.count());
            int before = source.epochsDone()
                    + (source.warmStart() == null ? 0 : source.warmStart().epochsBefore());
            warmStart = new WarmStart(spec.warmStart().toString(), before, source.globalStep());
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (CvaeTrainer trainer = new CvaeTrainer(spec.preset(), data.dimension(), settings, spec.clipDirectory())) {
            List<EpochReport> history = new ArrayList<>();
            int firstEpoch = 1;
            int bestEpoch = 0;
            LossBreakdown best = null;
            String bestCheckpoint = null;
            if (state != null && state.epochsDone() > 0) {
                trainer.restore(workDir.resolve(state.latest()).resolve("ckpt"), state.globalStep());
                history.addAll(state.history());
                firstEpoch = state.epochsDone() + 1;
                bestEpoch = state.bestEpoch();
                best = state.bestValidation();
                bestCheckpoint = state.best();
            } else if (source != null) {
                trainer.warmStart(
                        spec.warmStart().resolve(source.latest()).resolve("ckpt"),
                        source.globalStep(),
                        source.settings());
            }
            listener.started(firstEpoch, settings.epochs(), train.length, validation.length, List.copyOf(history));
            for (int epoch = firstEpoch; epoch <= settings.epochs(); epoch++) {
                long start = System.nanoTime();
                // A warm-started run shuffles as its source would have gone on: with the same settings it is a
                // resume.
                int shuffleEpoch = epoch + (warmStart == null ? 0 : warmStart.epochsBefore());
                LossBreakdown trainLoss = trainer.trainEpoch(
                        data, train, spec.conditioning(), shuffleEpoch, listener.epochStarted(epoch));
                double seconds = (System.nanoTime() - start) / 1e9;
                LossBreakdown validationLoss = trainer.evaluate(data, validation, spec.conditioning());
                int stepsImages = (train.length / settings.batchSize()) * settings.batchSize();
                EpochReport report = new EpochReport(epoch, trainLoss, validationLoss, seconds, stepsImages / seconds);
                history.add(report);

                String latest = String.format("ckpt-%04d", epoch);
                trainer.save(workDir.resolve(latest).resolve("ckpt"));
                if (best == null || selectionLoss(validationLoss, settings) < selectionLoss(best, settings)) {
                    best = validationLoss;
                    bestEpoch = epoch;
                    bestCheckpoint = latest;
                }
                writeState(
                        workDir,
                        new State(
                                spec.preset().name(),
                                data.dimension(),
                                spec.conditioning(),
                                settings,
                                epoch,
                                trainer.globalStep(),
                                latest,
                                bestCheckpoint,
                                bestEpoch,
                                best,
                                history,
                                spec.clipModelId(),
                                warmStart,
                                spec.dataset(),
                                data.count()));
                removeUnreferenced(workDir, latest, bestCheckpoint);
                // Checkpoint first: whoever hears of an epoch can rely on its checkpoint being kept.
                listener.checkpointed(workDir, epoch);
                listener.epochFinished(report);
            }
            if (bestCheckpoint == null) {
                throw new IllegalStateException("no epoch was trained");
            }
            return new Outcome(
                    List.copyOf(history),
                    bestEpoch,
                    best,
                    workDir.resolve(bestCheckpoint).resolve("ckpt"),
                    train.length,
                    validation.length,
                    trainer.trainableParameters(),
                    warmStart);
        }
    }

    /**
     * What the best epoch is chosen by: the validation loss without the adversarial term, which measures the critic
     * of the moment as much as the decoder (a stronger critic raises it).
     */
    static double selectionLoss(LossBreakdown validation, TrainingSettings settings) {
        return validation.adversarialLoss() == null
                ? validation.total()
                : validation.total() - settings.adversarialWeight() * validation.adversarialLoss();
    }

    /** Exports the best epoch's decoder to {@code modelDir} with its model card; it draws without condition noise. */
    public static DecoderCard export(Outcome outcome, Spec spec, int conditionDim, String modelId, Path modelDir) {
        return export(outcome, spec, conditionDim, modelId, modelDir, 0);
    }

    /**
     * Exports the best epoch's decoder to {@code modelDir} with its model card.
     *
     * @param conditionNoise how far the decoder will draw each picture's condition from the prompt's ({@link
     *     ConditionNoise}): a setting of the exported model, not of training, chosen by evaluating it
     */
    public static DecoderCard export(
            Outcome outcome, Spec spec, int conditionDim, String modelId, Path modelDir, float conditionNoise) {
        ConditionNoise.check(conditionNoise);
        Directories.deleteRecursively(modelDir);
        DecoderExport.export(outcome.bestCheckpoint(), spec.preset(), conditionDim, modelDir);
        DecoderCard card = new DecoderCard(
                DecoderCard.FORMAT,
                DecoderCard.FORMAT_VERSION,
                modelId,
                spec.preset().name(),
                spec.preset().imageSize(),
                spec.preset().latentDim(),
                conditionDim,
                spec.clipModelId(),
                spec.conditioning(),
                spec.settings(),
                spec.dataset(),
                outcome.trainImages(),
                outcome.validationImages(),
                outcome.bestEpoch(),
                outcome.bestValidation(),
                outcome.history(),
                outcome.parameters(),
                null,
                Instant.now(),
                outcome.warmStart(),
                // Through its decimal form, so that the card says 0.3 rather than 0.30000001192092896.
                Double.valueOf(Float.toString(conditionNoise)),
                null);
        return DecoderExport.writeCard(modelDir, card);
    }

    /** Deterministic train/validation split: {@code [train, validation]} image indexes. */
    public static int[][] split(int count, double validationFraction, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(CvaeTrainer.mix(seed, 0x5b1L));
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int validation = Math.max(1, (int) Math.round(count * validationFraction));
        int[] v = Arrays.copyOfRange(order, 0, validation);
        int[] t = Arrays.copyOfRange(order, validation, count);
        Arrays.sort(v);
        Arrays.sort(t);
        return new int[][] {t, v};
    }

    /** The state of a work directory, or null when it has none yet. */
    static State readState(Path workDir) {
        Path file = workDir.resolve(STATE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new IllegalStateException(file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** How many epochs a work directory has finished (0 when it has no checkpoint). */
    public static int epochsDone(Path workDir) {
        State state = readState(workDir);
        return state == null ? 0 : state.epochsDone();
    }

    private static void checkSameTraining(State state, Spec spec, int conditionDim, Path workDir) {
        TrainingSettings a = state.settings();
        TrainingSettings b = spec.settings();
        boolean same = state.preset().equals(spec.preset().name())
                && state.conditionDim() == conditionDim
                && state.conditioning() == spec.conditioning()
                && a.seed() == b.seed()
                && a.batchSize() == b.batchSize()
                && a.learningRate() == b.learningRate()
                && a.latentDropout() == b.latentDropout()
                && a.validationFraction() == b.validationFraction()
                && a.clipWeight().equals(b.clipWeight())
                && a.perceptualWeight().equals(b.perceptualWeight())
                && a.adversarialWeight().equals(b.adversarialWeight())
                && a.klWeight().equals(b.klWeight());
        if (!same) {
            throw new IllegalStateException(workDir + " holds a checkpoint of a different training (" + state.preset()
                    + ", " + state.conditioning() + "); use another directory");
        }
        // Work directories written before the CLIP was recorded have none to compare.
        if (state.clipModelId() != null && !state.clipModelId().equals(spec.clipModelId())) {
            throw new IllegalStateException(workDir + " holds a checkpoint trained against CLIP " + state.clipModelId()
                    + ", not " + spec.clipModelId() + "; use another directory");
        }
        if (state.epochsDone() > b.epochs()) {
            throw new IllegalStateException(
                    workDir + " already trained " + state.epochsDone() + " epochs, more than " + b.epochs());
        }
    }

    /**
     * Throws an {@link IllegalArgumentException} saying why if {@code spec}'s warm start cannot be used for a new run
     * in {@code workDir}; a run that already has checkpoints there resumes from them instead and needs no check.
     */
    public static void checkWarmStart(Spec spec, int conditionDim, int images, Path workDir) {
        if (spec.warmStart() == null) {
            return;
        }
        State own;
        try {
            own = readState(workDir);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (own == null) {
            warmStartSource(spec, conditionDim, images);
        }
    }

    /**
     * The state of the run {@code spec} warm-starts from, once it is known to fit: the same network, conditioning
     * and CLIP, and the same split, so that the new run's validation images stay unseen.
     */
    private static State warmStartSource(Spec spec, int conditionDim, int images) {
        Path from = spec.warmStart();
        State source;
        try {
            source = readState(from);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (source == null || source.epochsDone() == 0) {
            throw new IllegalArgumentException(from + " holds no finished epoch to start from");
        }
        TrainingSettings a = source.settings();
        TrainingSettings b = spec.settings();
        if (!source.preset().equals(spec.preset().name())
                || source.conditionDim() != conditionDim
                || source.conditioning() != spec.conditioning()) {
            throw new IllegalArgumentException(from + " trained " + source.preset() + " with " + source.conditioning()
                    + " conditioning on " + source.conditionDim() + "-dimensional embeddings, not "
                    + spec.preset().name() + " with " + spec.conditioning() + " on " + conditionDim);
        }
        // Work directories written before the dataset was recorded have none to compare.
        boolean otherData = (source.dataset() != null && !source.dataset().equals(spec.dataset()))
                || (source.images() != null && source.images() != images);
        if (otherData || a.seed() != b.seed() || a.validationFraction() != b.validationFraction()) {
            throw new IllegalArgumentException(from + " split " + source.images() + " images of " + source.dataset()
                    + " with seed " + a.seed() + " and validation " + a.validationFraction() + "; a warm start needs"
                    + " the same images and split, or it validates on images it trained on");
        }
        if (source.clipModelId() != null && !source.clipModelId().equals(spec.clipModelId())) {
            throw new IllegalArgumentException(
                    from + " was trained against CLIP " + source.clipModelId() + ", not " + spec.clipModelId());
        }
        return source;
    }

    private static void writeState(Path workDir, State state) {
        Path tmp = workDir.resolve(STATE + ".tmp");
        try {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
            Files.move(
                    tmp, workDir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + STATE, e);
        }
    }

    private static void removeUnreferenced(Path workDir, String latest, String best) {
        try (Stream<Path> entries = Files.list(workDir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith("ckpt-") && !name.equals(latest) && !name.equals(best)) {
                    Directories.deleteRecursively(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
