package dev.meadow.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.UserError;
import dev.meadow.model.cvae.CvaeBenchmark;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.model.tf.Precision;
import dev.meadow.model.tf.TfConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Training and decoding images/s of CVAE presets on this machine, and how much of the machine decoding uses:",
            "the decoder's FLOPs per image times images/s, against an fp32 matrix product through TensorFlow in the same",
            "process (the practical limit for this stack)."
        })
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

    @Option(
            names = "--precision",
            defaultValue = "auto",
            converter = PrecisionConverter.class,
            description = "Decoding precision: fp32, bf16, or auto (bf16 where the CPU has AVX512_BF16 or AMX and"
                    + " oneDNN is on; the generator's default) (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(
            names = "--matmul-size",
            defaultValue = "4096",
            description = "Side of the matrices whose product measures the limit (default: ${DEFAULT-VALUE}).")
    int matMulSize;

    @Override
    public Integer call() {
        List<CvaePreset> chosen;
        try {
            chosen = presets.stream().map(CvaePreset::named).toList();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (matMulSize < 64 || matMulSize > 8192) {
            throw new UserError("--matmul-size must be between 64 and 8192, not " + matMulSize);
        }
        Precision decoding = precision.resolve();
        out.printf(
                "CVAE benchmark: %d cores, condition size %d, oneDNN %s%s, decoding in %s%n",
                Runtime.getRuntime().availableProcessors(),
                conditionDim,
                TfConfig.oneDnnOn() ? "on" : "off",
                System.getenv(TfConfig.ONEDNN_VARIABLE) == null
                        ? " (TensorFlow's default: on only with AVX-512 VNNI, BF16 or AMX)"
                        : "",
                decoding);
        out.flush();
        double limit = CvaeBenchmark.matMulGflops(matMulSize, threads, 3.0, Precision.FP32);
        out.printf(
                Locale.ROOT,
                "limit: %d x %d fp32 matrix product through TensorFlow, %.1f GFLOP/s%n",
                matMulSize,
                matMulSize,
                limit);
        if (decoding == Precision.BF16) {
            // For context: "of limit" stays against fp32's, so that figures compare across precisions.
            out.printf(
                    Locale.ROOT,
                    "       the same product in bf16, %.1f GFLOP/s%n",
                    CvaeBenchmark.matMulGflops(matMulSize, threads, 3.0, Precision.BF16));
        }
        out.println("preset           parameters   train batch   train img/s   decode batch   decode img/s"
                + "   MFLOP/img   GFLOP/s   of limit");
        out.flush();
        for (CvaePreset preset : chosen) {
            CvaeBenchmark.Result r = CvaeBenchmark.run(
                    preset, conditionDim, trainBatch, trainSteps, decodeBatch, decodeBatches, threads, decoding);
            double flops = preset.decoderFlopsPerImage(conditionDim);
            double gflops = flops * r.decodeImagesPerSecond() / 1e9;
            out.printf(
                    Locale.ROOT,
                    "%-15s %11d %13d %13.1f %14d %14.1f %11.1f %9.1f %9.1f%%%n",
                    r.preset(),
                    r.parameters(),
                    r.trainBatch(),
                    r.trainImagesPerSecond(),
                    r.decodeBatch(),
                    r.decodeImagesPerSecond(),
                    flops / 1e6,
                    gflops,
                    100 * gflops / limit);
            out.flush();
        }
        return 0;
    }
}
