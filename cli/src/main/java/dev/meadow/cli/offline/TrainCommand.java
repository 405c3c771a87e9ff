package dev.meadow.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.ConditioningMode;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.FrozenImageTower;
import dev.meadow.model.cvae.ConditionNoise;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.TrainingSettings;
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
            completionCandidates = PresetNames.class,
            description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String preset;

    /** The presets' names, from the presets themselves: the help never lags behind them. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CvaePreset.all().keySet().iterator();
        }
    }

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
            description = "LAFITE noise scale xi of the training conditions of --conditioning image+noise (default:"
                    + " ${DEFAULT-VALUE}); --condition-noise is the one the exported decoder draws with.")
    float noise;

    @Option(
            names = "--condition-noise",
            defaultValue = "0",
            description = "Not a training setting: how far the exported decoder draws each picture's condition from"
                    + " the prompt's when it generates (0 to " + ConditionNoise.MAX + ", default: ${DEFAULT-VALUE};"
                    + " written to its model.json; measure candidates with meadow eval --condition-noise first; --noise"
                    + " is the training one).")
    float conditionNoise;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--clip-weight",
            defaultValue = "0",
            description = "Weight of the CLIP-consistency term: the --clip model's image tower embeds each"
                    + " reconstruction, shifted and mirrored at random, and w (1 - cos) pulls it towards its condition; needs Meadow's own CLIP"
                    + " (default: ${DEFAULT-VALUE}, the paper's loss).")
    float clipWeight;

    @Option(
            names = "--clip-view-scale",
            defaultValue = "1",
            description = "How the CLIP-consistency term sees each reconstruction: 1 shifts it by a few pixels,"
                    + " reflected at the border; below 1 crops it at random, keeping at least this share of its side,"
                    + " and scales it back, so that the CLIP's border never sits still near the picture's (default:"
                    + " ${DEFAULT-VALUE}).")
    float clipViewScale;

    @Option(
            names = "--perceptual-weight",
            defaultValue = "0",
            description = "Weight of the perceptual term: the squared distance between the --clip model's early image"
                    + " features (its first two convolutions) of each reconstruction and of its original; needs"
                    + " Meadow's own CLIP (default: ${DEFAULT-VALUE}, left out).")
    float perceptualWeight;

    @Option(
            names = "--adversarial-weight",
            defaultValue = "0",
            description =
                    "Weight of the adversarial term: a patch critic, trained alongside, tells reconstructions from"
                            + " originals, and the decoder is pulled towards pictures it takes for originals (default:"
                            + " ${DEFAULT-VALUE}, no critic).")
    float adversarialWeight;

    @Option(
            names = "--kl-weight",
            defaultValue = "0.5",
            description = "Weight of the KL term; lower lets z, and so the seed, carry more of each picture"
                    + " (default: ${DEFAULT-VALUE}, the paper's).")
    float klWeight;

    @Option(
            names = "--warm-start",
            description = "Another run's checkpoint directory to start from (its latest epoch), to fine-tune with"
                    + " other loss weights; the same preset, conditioning, CLIP, seed and split. Ignored once this"
                    + " run has a checkpoint of its own.")
    Path warmStart;

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
                .withNoiseScale(noise)
                .withClipWeight(clipWeight)
                .withPerceptualWeight(perceptualWeight)
                .withAdversarialWeight(adversarialWeight)
                .withKlWeight(klWeight)
                .withClipViewScale(clipViewScale);
        parse(() -> {
            settings.validate();
            return settings;
        });
        Inputs.conditionNoise(conditionNoise);
        Inputs.existingDirectory(data, "data");
        Inputs.existingDirectory(clip, "CLIP model");
        if (settings.needsClipTower()) {
            Inputs.asUserInput(() -> FrozenImageTower.requireMeadowClip(clip));
        }
        Inputs.outputDirectory(out, DecoderCard.FILE_NAME);
        Path workDir = work != null ? work : out.resolveSibling(out.getFileName() + ".work");
        Snapshot snapshot = Inputs.asUserInput(() -> Snapshot.read(data));
        PrintWriter console = spec.commandLine().getOut();

        CvaeData cvaeData;
        CvaeTraining.Spec trainingSpec;
        try (ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
            trainingSpec = new CvaeTraining.Spec(
                    cvaePreset,
                    mode,
                    settings,
                    clipModel.modelId(),
                    snapshot.manifest().name(),
                    clip,
                    warmStart);
            // Before the minutes of embedding: a warm start that cannot fit is known from the two state files.
            CvaeTraining.Spec checked = trainingSpec;
            parse(() -> {
                CvaeTraining.checkWarmStart(checked, clipModel.dimension(), snapshot.size(), workDir);
                return checked;
            });
            cvaeData = ConsoleTraining.embed(snapshot, clipModel, cvaePreset.imageSize());
        }
        String id = modelId != null
                ? modelId
                : cvaePreset.name() + "-" + mode.id().replace('+', '-') + "-" + System.currentTimeMillis() / 1000;
        ConsoleTraining.trainAndExport(cvaeData, trainingSpec, workDir, id, out, conditionNoise, console);
        return 0;
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
