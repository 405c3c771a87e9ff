package dev.meadow.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.client.ClientOptions;
import dev.meadow.cli.client.GatewayClient;
import dev.meadow.cli.common.UpData;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.ModelKind;
import dev.meadow.files.Directories;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.tf.Precision;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.synth.CaptionWriter;
import dev.meadow.synth.PastoralSynth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "On the stack that meadow up runs: the bare decoder's images/s (in-process, the active model,",
            "the decoder's batch size) against end-to-end images/s from submission to the last result.",
            "Where the active decoder draws through a prior, the generators' CPU per image through it and",
            "without it (--no-prior), in three interleaved runs each, and the median of each."
        })
public final class BenchPipelineCommand implements Callable<Integer> {

    private static final int BARE_RUNS = 3;
    private static final int PRIOR_RUNS = 3;
    private static final int BARE_IMAGES = 1024;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(
            names = "--prompts",
            defaultValue = "2000",
            description = "Prompts to generate (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(
            names = "--precision",
            defaultValue = "auto",
            converter = PrecisionConverter.class,
            description = "The bare decoder's precision: fp32, bf16 or auto; set it to the generators'"
                    + " MEADOW_GENERATOR_PRECISION (default: ${DEFAULT-VALUE}, theirs too).")
    Precision precision;

    @Option(
            names = "--warmup",
            defaultValue = "1000",
            description = {
                "Images generated end to end, untimed, before the " + "timed run (default: ${DEFAULT-VALUE}),",
                "so that the services' code is compiled, as the bare decoder's "
                        + "is by its first untimed run; 0 skips."
            })
    int warmup;

    @Override
    public Integer call() throws Exception {
        if (prompts < Decoder.RUN_SIZE) {
            throw new UserError("--prompts must be at least " + Decoder.RUN_SIZE);
        }
        if (warmup < 0) {
            throw new UserError("--warmup must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        GatewayClient gateway = options.client();
        JsonNode active = activeDecoder(gateway);
        String modelId = active.path("modelId").asText();
        out.printf(
                "Pipeline benchmark on %s with decoder %s (%s), %d prompts, %d cores%n",
                gateway.base(),
                modelId,
                active.path("preset").asText(),
                prompts,
                Runtime.getRuntime().availableProcessors());
        out.flush();

        Bare bareRun = bareDecoder(modelId, active.path("embeddingDimension").asInt());
        double bare = bareRun.imagesPerSecond();
        out.printf(
                Locale.ROOT,
                "  bare decoder:   %8.1f images/s  (in-process loop, %s, batch %d, best of %d runs; %.2f ms CPU an image)%n",
                bare,
                bareRun.precision(),
                Decoder.RUN_SIZE,
                BARE_RUNS,
                bareRun.cpuMillisPerImage());
        out.flush();

        if (warmup > 0) {
            Run run = generate(gateway, 8, warmup, false);
            out.printf(
                    Locale.ROOT,
                    "  warm-up:        %8.1f images/s  (%d images, not counted)%n",
                    warmup / run.seconds(),
                    warmup);
            out.flush();
        }
        Map<String, Duration> cpuBefore = StackCpu.of(options.data());
        Run run = generate(gateway, 7, prompts, false);
        Map<String, Duration> cpu = StackCpu.between(cpuBefore, StackCpu.of(options.data()));
        double endToEnd = prompts / run.seconds();
        out.printf(
                Locale.ROOT,
                "  end to end:     %8.1f images/s  (%d images in %.1f s; accepted in %.2f s; %d failed)%n",
                endToEnd,
                prompts,
                run.seconds(),
                run.acceptSeconds(),
                run.failed());
        out.printf(Locale.ROOT, "  ratio:          %8.2f%n", endToEnd / bare);
        printCpu(out, cpu, bareRun.cpuMillisPerImage());
        String prior = active.path("priorModelId").asText(null);
        if (prior != null && !cpu.isEmpty()) {
            comparePrior(out, gateway, prior);
        }
        return 0;
    }

    /**
     * The generators' CPU per image through the prior and without it, interleaved (through, without, through, ...)
     * so that a drift of the machine's load falls on both alike; the medians and their difference.
     */
    private void comparePrior(PrintWriter out, GatewayClient gateway, String prior) throws InterruptedException {
        out.printf(
                "  the prior %s, generator CPU per image (%d interleaved runs of %d each):%n",
                prior, PRIOR_RUNS, prompts);
        out.flush();
        List<Double> through = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int run = 0; run < PRIOR_RUNS; run++) {
            for (boolean skip : List.of(false, true)) {
                Map<String, Duration> before = StackCpu.of(options.data());
                Run timed = generate(gateway, 7, prompts, skip);
                Duration generator =
                        StackCpu.between(before, StackCpu.of(options.data())).getOrDefault("generator", Duration.ZERO);
                double millis = generator.toNanos() / 1e6 / prompts;
                (skip ? without : through).add(millis);
                out.printf(
                        Locale.ROOT,
                        "    %-14s %7.2f ms  (%.1f images/s end to end, %d failed)%n",
                        skip ? "without" : "through it",
                        millis,
                        prompts / timed.seconds(),
                        timed.failed());
                out.flush();
            }
        }
        double a = median(through);
        double b = median(without);
        out.printf(
                Locale.ROOT,
                "    median: %.2f ms through the prior, %.2f ms without; the prior costs %+.2f ms an image%n",
                a,
                b,
                a - b);
        out.flush();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** CPU per image of each process during the timed run, and how much of it the decoding itself explains. */
    private void printCpu(PrintWriter out, Map<String, Duration> cpu, double decodeMillisPerImage) {
        if (cpu.isEmpty()) {
            out.println("  CPU per image:  not measured (no stack of meadow up from " + options.data() + " here)");
            return;
        }
        out.println("  CPU per image during the timed run:");
        double total = 0;
        for (Map.Entry<String, Duration> e : cpu.entrySet()) {
            double millis = e.getValue().toNanos() / 1e6 / prompts;
            total += millis;
            out.printf(Locale.ROOT, "    %-14s %7.2f ms%n", e.getKey(), millis);
        }
        out.printf(Locale.ROOT, "    %-14s %7.2f ms%n", "all", total);
        out.printf(
                Locale.ROOT,
                "    %-14s %7.2f ms  (all, less the bare decoder's %.2f ms)%n",
                "outside decode",
                total - decodeMillisPerImage,
                decodeMillisPerImage);
        out.flush();
    }

    private record Run(double seconds, double acceptSeconds, int failed) {}

    /** The bare decoder's best rate, and the CPU it spent on an image (all its threads, TensorFlow's included). */
    private record Bare(double imagesPerSecond, double cpuMillisPerImage, Precision precision) {}

    private static Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * Submits {@code count} synthetic captions as one batch and waits for its last result; {@code noPrior} asks
     * every line to skip the decoder's prior.
     */
    private static Run generate(GatewayClient gateway, long sceneSeed, int count, boolean noPrior)
            throws InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append(noPrior ? "--no-prior " : "")
                    .append(CaptionWriter.captions(PastoralSynth.scene(sceneSeed, i), 1)
                            .get(0))
                    .append('\n');
        }
        long start = System.nanoTime();
        JsonNode accepted = gateway.post(
                "api/batches?seed=" + sceneSeed,
                "text/plain; charset=utf-8",
                HttpRequest.BodyPublishers.ofString(body.toString()));
        double acceptSeconds = (System.nanoTime() - start) / 1e9;
        String batchId = accepted.path("batchId").asText();
        JsonNode progress;
        do {
            Thread.sleep(100);
            progress = gateway.get("api/batches/" + batchId);
        } while (!progress.path("finished").asBoolean());
        return new Run(
                (System.nanoTime() - start) / 1e9,
                acceptSeconds,
                progress.path("failed").asInt());
    }

    private static JsonNode activeDecoder(GatewayClient gateway) {
        for (JsonNode model : gateway.get("api/models/cvae")) {
            if (model.path("active").asBoolean()) {
                return model;
            }
        }
        throw new UserError("no decoder is active on " + gateway.base());
    }

    /** Decodes with the same model files the generators use, as fast as this process can. */
    private Bare bareDecoder(String modelId, int dimension) throws IOException {
        Properties saved = options.saved();
        Properties credentials = new UpData(options.data()).credentials();
        if (saved.getProperty("s3") == null || credentials.getProperty("s3.access-key") == null) {
            throw new UserError("run this on a stack started by meadow up (" + options.data()
                    + " has no client.properties with the object store)");
        }
        Path dir = Files.createTempDirectory("meadow-bench-decoder-");
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                saved.getProperty("s3"),
                credentials.getProperty("s3.access-key"),
                credentials.getProperty("s3.secret-key"),
                "us-east-1",
                "meadow-"))) {
            store.downloadDirectory(Bucket.MODELS, store.layout().modelPrefix(ModelKind.CVAE, modelId), dir);
        }
        try (Decoder decoder = Decoder.load(dir, 0, precision)) {
            SplittableRandom random = new SplittableRandom(3);
            int count = Math.min(prompts, BARE_IMAGES);
            float[] conditions = new float[count * dimension];
            long[] seeds = new long[count];
            for (int i = 0; i < count; i++) {
                double norm = 0;
                for (int k = 0; k < dimension; k++) {
                    float v = (float) (random.nextDouble() - 0.5);
                    conditions[i * dimension + k] = v;
                    norm += v * v;
                }
                for (int k = 0; k < dimension; k++) {
                    conditions[i * dimension + k] /= (float) Math.sqrt(norm);
                }
                seeds[i] = i;
            }
            decoder.decode(
                    java.util.Arrays.copyOf(conditions, Decoder.RUN_SIZE * dimension),
                    java.util.Arrays.copyOf(seeds, Decoder.RUN_SIZE));
            // The fastest of a few runs: the stack's idle work makes single runs vary by 10-20% on two cores.
            double best = 0;
            Duration cpuStart = processCpu();
            for (int run = 0; run < BARE_RUNS; run++) {
                long start = System.nanoTime();
                decoder.decode(conditions, seeds);
                best = Math.max(best, count / ((System.nanoTime() - start) / 1e9));
            }
            double cpuMillis = processCpu().minus(cpuStart).toNanos() / 1e6 / ((double) count * BARE_RUNS);
            return new Bare(best, cpuMillis, decoder.precision());
        } finally {
            Directories.deleteRecursively(dir);
        }
    }
}
