package dev.meadow.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.prior.PriorCard;
import dev.meadow.model.prior.PriorTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "train-prior",
        mixinStandardHelpOptions = true,
        description = {
            "Train a diffusion prior on a captioned snapshot: it draws a CLIP image embedding for a prompt's text"
                    + " embedding, a different one per seed, for decoders trained on image embeddings (as unCLIP).",
            "Prints, on held-out captions, how close a draw comes to the caption's own image against the text"
                    + " embedding itself, and how far two seeds' draws are apart."
        })
public final class TrainPriorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Snapshot directory (e.g. from meadow synth).")
    Path data;

    @Option(names = "--clip", required = true, description = "The CLIP model whose embeddings the prior draws.")
    Path clip;

    @Option(names = "--out", required = true, description = "Directory for the prior.")
    Path out;

    @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--sampling-steps",
            defaultValue = "8",
            description = "DDIM steps per draw (default: ${DEFAULT-VALUE}).")
    int samplingSteps;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--id", description = "Model id (default: prior-<seed>-<time>).")
    String modelId;

    @Override
    public Integer call() {
        Inputs.existingDirectory(data, "data");
        Inputs.existingDirectory(clip, "CLIP model");
        Inputs.positive(epochs, "--epochs");
        if (samplingSteps < 1 || samplingSteps > 1000) {
            throw new UserError("--sampling-steps must be between 1 and 1000");
        }
        Inputs.outputDirectory(out, PriorCard.FILE_NAME);
        Snapshot snapshot = Inputs.asUserInput(() -> Snapshot.read(data));
        String id = modelId != null ? modelId : "prior-" + seed + "-" + System.currentTimeMillis() / 1000;
        PrintWriter console = spec.commandLine().getOut();
        long started = System.nanoTime();
        PriorTraining.Pairs pairs;
        String clipId;
        try (ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
            clipId = clipModel.modelId();
            CvaeData data =
                    ConsoleTraining.embed(snapshot, clipModel, clipModel.card().imageSize());
            pairs = new PriorTraining.Pairs(
                    data.dimension(),
                    data.count(),
                    data.imageEmbeddings(),
                    data.captionEmbeddings(),
                    data.captionImage());
        }
        PriorTraining.Settings settings = PriorTraining.Settings.defaults()
                .withEpochs(epochs)
                .withSamplingSteps(samplingSteps)
                .withSeed(seed);
        PriorCard card;
        try {
            card = PriorTraining.train(
                    pairs, settings, id, clipId, snapshot.manifest().name(), out, new PriorTraining.Listener() {
                        @Override
                        public void epochFinished(PriorCard.Epoch e) {
                            console.printf(
                                    Locale.ROOT,
                                    "epoch %d/%d  loss %.4f  held out %.4f  %.0f s%n",
                                    e.epoch(),
                                    epochs,
                                    e.loss(),
                                    e.validationLoss(),
                                    e.seconds());
                            console.flush();
                        }
                    });
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        PriorCard.Validation v = card.validation();
        console.printf(
                Locale.ROOT,
                "Prior %s for CLIP %s written to %s in %.1f minutes%n"
                        + "On %,d held-out captions: a draw is %.3f from its caption's image (cosine), the text"
                        + " embedding itself %.3f; two seeds' draws are %.3f apart (1 - cos), two held-out images"
                        + " %.3f%n",
                id,
                clipId,
                out,
                (System.nanoTime() - started) / 60e9,
                Math.min(500, card.validationPairs()),
                v.drawToImage(),
                v.textToImage(),
                v.drawSpread(),
                v.imageSpread());
        return 0;
    }
}
