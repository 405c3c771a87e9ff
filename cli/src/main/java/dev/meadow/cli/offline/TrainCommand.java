package dev.meadow.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.Inputs;
import dev.meadow.cli.Progress;
import dev.meadow.cli.UserError;
import dev.meadow.contracts.ConditioningMode;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.DatasetEmbedder;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.EpochReport;
import dev.meadow.model.cvae.StepListener;
import dev.meadow.model.cvae.TrainingSettings;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a CVAE decoder on a snapshot, conditioned on CLIP embeddings, and export it.",
            "Checkpoints every epoch; run it again with the same options to resume."
        })
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Snapshot directory.")
    Path data;

    @Option(names = "--clip", required = true, description = "CLIP model directory.")
    Path clip;

    @Option(
            names = "--preset",
            defaultValue = "small-64",
            description = "paper-64, paper-128, small-64, small-128 or tiny-32 (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(
            names = "--conditioning",
            defaultValue = "image",
            description = "image, text, image+noise or mixed (default: ${DEFAULT-VALUE}).")
    String conditioning;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam step (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--dropout", defaultValue = "0.2", description = "Dropout on z (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(
            names = "--noise",
            defaultValue = "0.75",
            description = "LAFITE noise scale xi for image+noise (default: ${DEFAULT-VALUE}).")
    float noise;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "Directory for the exported decoder.")
    Path out;

    @Option(names = "--work", description = "Checkpoint directory (default: <out>.work).")
    Path work;

    @Option(names = "--id", description = "Model id (default: <preset>-<conditioning>-<time>).")
    String modelId;

    @Override
    public Integer call() {
        CvaePreset cvaePreset = parse(() -> CvaePreset.named(preset));
        ConditioningMode mode = parse(() -> ConditioningMode.fromId(conditioning));
        TrainingSettings settings = TrainingSettings.defaults()
                .withEpochs(epochs)
                .withBatchSize(batchSize)
                .withLearningRate(learningRate)
                .withLatentDropout(dropout)
                .withSeed(seed)
                .withNoiseScale(noise);
        parse(() -> {
            settings.validate();
            return settings;
        });
        Inputs.existingDirectory(data, "data");
        Inputs.existingDirectory(clip, "CLIP model");
        Inputs.outputDirectory(out, DecoderCard.FILE_NAME);
        Path workDir = work != null ? work : out.resolveSibling(out.getFileName() + ".work");
        Snapshot snapshot = Inputs.asUserInput(() -> Snapshot.read(data));
        PrintWriter console = spec.commandLine().getOut();

        CvaeData cvaeData;
        String clipId;
        try (ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
            clipId = clipModel.modelId();
            cvaeData = embed(snapshot, clipModel, cvaePreset.imageSize());
        }
        String id = modelId != null
                ? modelId
                : cvaePreset.name() + "-" + mode.id().replace('+', '-') + "-" + System.currentTimeMillis() / 1000;
        CvaeTraining.Spec trainingSpec = new CvaeTraining.Spec(
                cvaePreset, mode, settings, clipId, snapshot.manifest().name());
        trainAndExport(cvaeData, trainingSpec, workDir, id, out, console);
        return 0;
    }

    /** Embeds a snapshot's images and captions with CLIP, showing progress, and loads its pixels. */
    public static CvaeData embed(Snapshot snapshot, ClipModel clipModel, int imageSize) {
        int items = snapshot.size()
                + snapshot.captionsByImage().values().stream()
                        .mapToInt(java.util.List::size)
                        .sum();
        DatasetEmbedder.Embedded embedded;
        try (ProgressBar bar = Progress.bar("embedding", items)) {
            embedded = DatasetEmbedder.embed(snapshot, clipModel, bar::stepTo);
        }
        return CvaeData.of(snapshot, imageSize, embedded.images(), embedded.captions());
    }

    /** Trains (resuming from {@code workDir}), exports to {@code out} and prints the epoch table. */
    public static CvaeTraining.Outcome trainAndExport(
            CvaeData data, CvaeTraining.Spec spec, Path workDir, String id, Path out, PrintWriter console) {
        CvaeTraining.Outcome outcome;
        try {
            outcome = CvaeTraining.train(data, spec, workDir, new BarListener(console));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
        DecoderCard card = CvaeTraining.export(outcome, spec, data.dimension(), id, out);
        console.println();
        printTable(console, outcome);
        console.printf(
                Locale.ROOT,
                "Decoder %s (%s, %s conditioning, %,d parameters) written to %s%n"
                        + "Best validation loss %.1f at epoch %d.%n",
                card.modelId(),
                card.preset(),
                spec.conditioning(),
                outcome.parameters(),
                out,
                outcome.bestValidation().total(),
                outcome.bestEpoch());
        return outcome;
    }

    static void printTable(PrintWriter console, CvaeTraining.Outcome outcome) {
        console.println("epoch | train: total      bce      kl  1-ssim | validation: total      bce      kl  1-ssim"
                + " |   img/s");
        for (EpochReport r : outcome.history()) {
            console.printf(
                    Locale.ROOT,
                    "%5d | %12.1f %8.1f %7.1f %7.4f | %17.1f %8.1f %7.1f %7.4f | %7.1f%s%n",
                    r.epoch(),
                    r.train().total(),
                    r.train().bce(),
                    r.train().kl(),
                    r.train().ssimLoss(),
                    r.validation().total(),
                    r.validation().bce(),
                    r.validation().kl(),
                    r.validation().ssimLoss(),
                    r.imagesPerSecond(),
                    r.epoch() == outcome.bestEpoch() ? "  <- best" : "");
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static final class BarListener implements CvaeTraining.Listener {

        private final PrintWriter console;
        private int epochs;

        BarListener(PrintWriter console) {
            this.console = console;
        }

        @Override
        public void started(
                int firstEpoch,
                int epochs,
                int trainImages,
                int validationImages,
                java.util.List<EpochReport> history) {
            this.epochs = epochs;
            console.printf(
                    "%s: %d training and %d validation images, epochs %d..%d%n",
                    history.isEmpty() ? "Training" : "Resuming from the last checkpoint",
                    trainImages,
                    validationImages,
                    firstEpoch,
                    epochs);
            console.flush();
        }

        @Override
        public StepListener epochStarted(int epoch) {
            ProgressBar[] bar = new ProgressBar[1];
            return (step, steps, loss) -> {
                if (bar[0] == null) {
                    bar[0] = Progress.bar(String.format("epoch %d/%d", epoch, epochs), steps);
                }
                bar[0].stepTo(step);
                bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.1f", loss));
                if (step == steps) {
                    bar[0].close();
                }
            };
        }
    }
}
