package dev.meadow.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.UserError;
import dev.meadow.model.cvae.CvaeBenchmark;
import dev.meadow.model.cvae.CvaePreset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Training images/s and decoder images/s of CVAE presets on this machine.")
public final class BenchModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--presets",
            split = ",",
            defaultValue = "small-64,paper-64,paper-128",
            description = "Presets to measure (default: ${DEFAULT-VALUE}).")
    List<String> presets;

    @Option(
            names = "--condition-dim",
            defaultValue = "256",
            description = "Condition size: 256 for Meadow's CLIP, 512 for OpenAI's (default: ${DEFAULT-VALUE}).")
    int conditionDim;

    @Option(names = "--train-batch", defaultValue = "32", description = "Training batch (default: ${DEFAULT-VALUE}).")
    int trainBatch;

    @Option(
            names = "--train-steps",
            defaultValue = "5",
            description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(names = "--decode-batch", defaultValue = "64", description = "Decoder batch (default: ${DEFAULT-VALUE}).")
    int decodeBatch;

    @Option(
            names = "--decode-batches",
            defaultValue = "10",
            description = "Timed decoder batches (default: ${DEFAULT-VALUE}).")
    int decodeBatches;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow threads, 0 = all cores.")
    int threads;

    @Override
    public Integer call() {
        List<CvaePreset> chosen;
        try {
            chosen = presets.stream().map(CvaePreset::named).toList();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "CVAE benchmark: %d cores, condition size %d%n",
                Runtime.getRuntime().availableProcessors(), conditionDim);
        out.println("preset      parameters   train batch   train img/s   decode batch   decode img/s");
        out.flush();
        for (CvaePreset preset : chosen) {
            CvaeBenchmark.Result r = CvaeBenchmark.run(
                    preset, conditionDim, trainBatch, trainSteps, decodeBatch, decodeBatches, threads);
            out.printf(
                    Locale.ROOT,
                    "%-10s %11d %13d %13.1f %14d %14.1f%n",
                    r.preset(),
                    r.parameters(),
                    r.trainBatch(),
                    r.trainImagesPerSecond(),
                    r.decodeBatch(),
                    r.decodeImagesPerSecond());
            out.flush();
        }
        return 0;
    }
}
