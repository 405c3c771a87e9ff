package dev.meadow.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.Progress;
import dev.meadow.cli.common.UserError;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.clip.ClipCard;
import dev.meadow.model.clip.ClipTrainingSettings;
import dev.meadow.model.clip.MeadowClipTraining;
import dev.meadow.model.clip.ReverseCaptioner;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "train-clip",
        mixinStandardHelpOptions = true,
        description = {
            "Train Meadow's own CLIP (image CNN + text encoder, contrastive) on a captioned snapshot.",
            "Prints text-to-image retrieval R@1 and R@5 on held-out pairs."
        })
public final class TrainClipCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Snapshot directory (e.g. from meadow synth).")
    Path data;

    @Option(names = "--out", required = true, description = "Directory for the CLIP model.")
    Path out;

    @Option(names = "--epochs", defaultValue = "12", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--dimension", defaultValue = "256", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--image-size", defaultValue = "64", description = "Image input size (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--held-out", defaultValue = "100", description = "Held-out pairs (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--caption-pool",
            defaultValue = "5000",
            description = "Distinct training captions kept beside "
                    + "the model for reverse captioning (default: ${DEFAULT-VALUE}; 0 for none).")
    int captionPool;

    @Option(
            names = "--twins",
            description = "Keep images 2k and 2k+1 (twins from meadow synth --twins) in one batch, so that each is the"
                    + " other's hard negative; needs an even --batch-size.")
    boolean twins;

    @Option(names = "--id", description = "Model id (default: clip-<seed>-<time>).")
    String modelId;

    @Override
    public Integer call() {
        Inputs.existingDirectory(data, "data");
        Inputs.positive(epochs, "--epochs");
        Inputs.outputDirectory(out, ClipCard.FILE_NAME);
        if (imageSize % 16 != 0 || imageSize < 16) {
            throw new UserError("--image-size must be a multiple of 16");
        }
        Snapshot snapshot = Inputs.asUserInput(() -> Snapshot.read(data));
        String id = modelId != null ? modelId : "clip-" + seed + "-" + System.currentTimeMillis() / 1000;
        PrintWriter console = spec.commandLine().getOut();
        console.printf("Loading %d images from %s%n", snapshot.size(), data);
        console.flush();
        float[] pixels = snapshot.loadPixels(imageSize);
        List<List<String>> captions = new ArrayList<>();
        for (String file : snapshot.imageFiles()) {
            captions.add(snapshot.captionsByImage().get(file));
        }
        if (twins && batchSize % 2 != 0) {
            throw new UserError("--twins needs an even --batch-size, so that twins share a batch");
        }
        ClipTrainingSettings settings = ClipTrainingSettings.defaults()
                .withEpochs(epochs)
                .withBatchSize(batchSize)
                .withTwins(twins)
                .withDimension(dimension)
                .withImageSize(imageSize)
                .withHeldOutPairs(heldOut)
                .withSeed(seed);
        MeadowClipTraining.Outcome outcome;
        try {
            outcome = MeadowClipTraining.train(pixels, captions, settings, id, out, new BarListener());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (captionPool > 0) {
            List<String> all = new ArrayList<>();
            captions.forEach(all::addAll);
            int kept = ReverseCaptioner.writePool(out, all, captionPool);
            console.printf(
                    "%nKept %d distinct captions in %s for reverse captioning%n", kept, ReverseCaptioner.POOL_FILE);
        }
        console.println();
        console.println("epoch      loss   R@1    R@5   seconds");
        for (MeadowClipTraining.EpochResult r : outcome.history()) {
            console.printf(
                    Locale.ROOT,
                    "%5d  %8.4f  %.2f   %.2f  %7.1f%n",
                    r.epoch(),
                    r.loss(),
                    r.recallAt1(),
                    r.recallAt5(),
                    r.seconds());
        }
        var metrics = outcome.card().metrics();
        console.printf(
                Locale.ROOT,
                "CLIP %s written to %s%nText-to-image retrieval on %d held-out pairs: R@1 %.2f, "
                        + "R@5 %.2f (chance %.2f)%n",
                id,
                out,
                metrics.get("heldOutPairs").intValue(),
                metrics.get("textToImageR1"),
                metrics.get("textToImageR5"),
                1.0 / metrics.get("heldOutPairs"));
        return 0;
    }

    private static final class BarListener implements MeadowClipTraining.Listener {

        private ProgressBar bar;

        @Override
        public void epochStarted(int epoch, int epochs, int steps) {
            bar = Progress.bar(String.format("epoch %d/%d", epoch, epochs), steps);
        }

        @Override
        public void stepDone(int step, int steps, double loss) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f", loss));
        }

        @Override
        public void epochFinished(MeadowClipTraining.EpochResult result) {
            bar.setExtraMessage(String.format(Locale.ROOT, "R@1 %.2f", result.recallAt1()));
            bar.close();
        }
    }
}
