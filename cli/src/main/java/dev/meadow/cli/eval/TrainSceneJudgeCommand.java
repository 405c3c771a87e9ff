package dev.meadow.cli.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.EvalReport;
import dev.meadow.eval.SceneJudging;
import dev.meadow.model.judge.SceneJudgeCard;
import dev.meadow.model.judge.SceneJudgeTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "train-scene-judge",
        mixinStandardHelpOptions = true,
        description = {
            "Train the scene judge: a CNN that reads the objects of a picture (animals, their kind and count, a barn,"
                    + " mountains, trees, a lake, sun or moon, close-up) on Pastoral-Synth renders.",
            "Prints each head's accuracy on held-out renders (another seed), sharp and softened; `meadow eval"
                    + " --scene-judge` judges decoders with the heads that reach "
                    + EvalReport.REQUIRED_DETECTOR_ACCURACY + "."
        })
public final class TrainSceneJudgeCommand implements Callable<Integer> {

    /** Renders held in memory at once: 60,000 of 64x64 floats are 2.9 GB. */
    static final int MAX_RENDERS = 60_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Directory for the scene judge.")
    Path out;

    @Option(names = "--renders", defaultValue = "16000", description = "Training renders (default: ${DEFAULT-VALUE}).")
    int renders;

    @Option(
            names = "--held-out",
            defaultValue = "2000",
            description = "Held-out renders it is measured on (default: ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--epochs", defaultValue = "8", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--seed",
            defaultValue = "21",
            description = "Render and training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads (default: all cores).")
    int threads;

    @Option(names = "--id", description = "Model id (default: scene-judge-<seed>-<time>).")
    String modelId;

    @Override
    public Integer call() {
        Inputs.positive(epochs, "--epochs");
        Inputs.positive(heldOut, "--held-out");
        if (renders < 64 || renders > MAX_RENDERS) {
            throw new UserError("--renders must be between 64 (one batch) and " + MAX_RENDERS
                    + " (the renders are held in memory, 48 KiB each)");
        }
        if (heldOut > MAX_RENDERS / 2) {
            throw new UserError("--held-out must be at most " + MAX_RENDERS / 2);
        }
        Inputs.outputDirectory(out, SceneJudgeCard.FILE_NAME);
        String id = modelId != null ? modelId : "scene-judge-" + seed + "-" + System.currentTimeMillis() / 1000;
        PrintWriter console = spec.commandLine().getOut();
        console.printf(
                Locale.ROOT,
                "Rendering %,d training and %,d held-out Pastoral-Synth scenes (seeds %d and %d)...%n",
                renders,
                heldOut,
                seed,
                seed + 1);
        console.flush();
        long started = System.nanoTime();
        SceneJudgeCard card =
                SceneJudging.train(renders, heldOut, seed, epochs, threads, id, out, new SceneJudgeTraining.Listener() {
                    @Override
                    public void epochFinished(int epoch, double loss, double seconds) {
                        console.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  %.0f s%n", epoch, epochs, loss, seconds);
                        console.flush();
                    }
                });
        console.printf(
                Locale.ROOT,
                "Scene judge %s written to %s in %.1f minutes%nAccuracy on %,d held-out renders (sharp / softened):%n",
                id,
                out,
                (System.nanoTime() - started) / 60e9,
                card.testRenders());
        for (SceneJudgeCard.HeadCard head : card.heads()) {
            console.printf(
                    Locale.ROOT,
                    "  %-12s %.3f / %.3f%s%n",
                    head.name(),
                    head.accuracyOnRenders(),
                    head.accuracyOnBlurredRenders(),
                    head.accuracyOnRenders() >= EvalReport.REQUIRED_DETECTOR_ACCURACY
                            ? ""
                            : "  (below " + EvalReport.REQUIRED_DETECTOR_ACCURACY + ": reported, not used)");
        }
        return 0;
    }
}
