package dev.meadow.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.client.ClientOptions;
import dev.meadow.cli.client.GatewayClient;
import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.KafkaLogins;
import dev.meadow.cli.common.MeadowHome;
import dev.meadow.cli.common.UpData;
import dev.meadow.cli.common.UserError;
import dev.meadow.cli.up.ComponentSpec;
import dev.meadow.cli.up.Credentials;
import dev.meadow.cli.up.StackLauncher;
import dev.meadow.contracts.Component;
import dev.meadow.contracts.Json;
import dev.meadow.devstack.DatabaseLogins;
import dev.meadow.devstack.EmbeddedDatabase;
import dev.meadow.devstack.FreePorts;
import dev.meadow.files.Directories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "gallery",
        mixinStandardHelpOptions = true,
        description = {
            "On the stack that meadow up runs: the gallery's database at scale.",
            "Writes N results (in batches) to the topics, then measures the projection's ingest rate, the",
            "gateway's heap, how long a second gateway on the same database takes to be ready, two-word searches",
            "and page 1,000 of a filtered listing. The results name PNGs that are not in the store."
        })
public final class BenchGalleryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(names = "--images", defaultValue = "100000", description = "Results to write (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--batch-size",
            defaultValue = "10000",
            description = "Results per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--queries",
            defaultValue = "200",
            description = "Timed requests per measure (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(
            names = "--timeout",
            defaultValue = "3600",
            description = "Seconds to wait for the projection (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Inputs.positive(images, "--images");
        Inputs.positive(batchSize, "--batch-size");
        Inputs.positive(queries, "--queries");
        PrintWriter out = spec.commandLine().getOut();
        GatewayClient gateway = options.client();
        Properties saved = options.saved();
        // The benchmark writes results and batches itself, which no component may do both of: the administrator.
        Map<String, Object> kafka = KafkaLogins.upAdmin(new UpData(options.data()));
        out.printf(
                "Gallery benchmark on %s: %,d results in batches of %,d, %d cores%n",
                gateway.base(), images, batchSize, Runtime.getRuntime().availableProcessors());
        out.println("  (they stay in the gallery, as batches named bench-...; their PNGs are not in the store)");
        out.flush();

        long before = gateway.get("api/images?size=1").path("total").asLong();
        long target = before + images;
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicLong written = new AtomicLong();
        long start = System.nanoTime();
        double[] writeSeconds = new double[1];
        AtomicReference<RuntimeException> writeFailure = new AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    try (GalleryLoad load = new GalleryLoad(kafka, 42)) {
                        Instant at = Instant.now();
                        for (int b = 0, left = images; left > 0; b++) {
                            int n = Math.min(batchSize, left);
                            load.writeBatch("bench-" + run + "-" + b, n, at);
                            at = at.plusMillis(n);
                            left -= n;
                            written.addAndGet(n);
                        }
                        load.flush();
                        writeSeconds[0] = seconds(start);
                    } catch (RuntimeException e) {
                        writeFailure.set(e);
                    }
                },
                "bench-writer");
        writer.start();

        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long projected = 0;
        long lastReport = 0;
        double writerDoneAt = -1;
        long projectedWhenWriterDone = 0;
        while (projected < target) {
            if (System.nanoTime() > deadline) {
                throw new UserError("the gallery showed " + (projected - before) + " of " + images
                        + " new results after " + timeoutSeconds + " s");
            }
            Thread.sleep(500);
            if (writeFailure.get() != null) {
                throw new UserError(
                        "writing the results failed: " + writeFailure.get().getMessage());
            }
            projected = gateway.get("api/images?size=1").path("total").asLong();
            if (writerDoneAt < 0 && !writer.isAlive()) {
                writerDoneAt = seconds(start);
                projectedWhenWriterDone = projected - before;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf(
                        Locale.ROOT,
                        "  %5.0f s: %,d written, %,d in the gallery%n",
                        seconds(start),
                        written.get(),
                        projected - before);
                out.flush();
                lastReport = System.nanoTime();
            }
        }
        double total = seconds(start);
        writer.join();
        out.printf(
                Locale.ROOT,
                "  written to the topics in %.1f s (%,.0f results/s)%n",
                writeSeconds[0],
                images / writeSeconds[0]);
        out.printf(
                Locale.ROOT,
                "  projection ingest: all %,d in the gallery %.1f s after the first was written: "
                        + "%,.0f results/s end to end%n",
                images,
                total,
                images / total);
        if (writerDoneAt > 0 && total - writerDoneAt > 1) {
            out.printf(
                    Locale.ROOT,
                    "  projection ingest once writing ended: %,.0f results/s (the backlog of %,d)%n",
                    (images - projectedWhenWriterDone) / (total - writerDoneAt),
                    images - projectedWhenWriterDone);
        } else {
            out.println("  the projection kept up with the writer: its rate is at least the writer's");
        }
        out.flush();

        heap(out, gateway);
        startToReady(out, saved);
        searches(out, gateway);
        deepPage(out, gateway);
        return 0;
    }

    private void heap(PrintWriter out, GatewayClient gateway) throws Exception {
        Map<String, Double> metrics = metrics(gateway.base() + "q/metrics");
        out.printf(
                Locale.ROOT,
                "  gateway heap after ingest: %.0f MB in use, %.0f MB live after the last "
                        + "collection, of %.0f MB at most%n",
                metrics.getOrDefault("heap_used", 0.0) / 1e6,
                metrics.getOrDefault("live", 0.0) / 1e6,
                metrics.getOrDefault("heap_max", 0.0) / 1e6);
        out.flush();
    }

    /** Sums Micrometer's heap gauges from the Prometheus endpoint. */
    private Map<String, Double> metrics(String url) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            String key = line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")
                    ? "heap_used"
                    : line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")
                            ? "heap_max"
                            : line.startsWith("jvm_gc_live_data_size_bytes") ? "live" : null;
            if (key != null) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (value > 0) {
                    sums.merge(key, value, Double::sum);
                }
            }
        }
        return sums;
    }

    /** Starts a second gateway on the same database and broker (with 256 MB of heap) and times it to ready. */
    private void startToReady(PrintWriter out, Properties saved) throws Exception {
        Credentials credentials = Credentials.loadOrCreate(options.data().resolve("credentials.properties"));
        Map<String, String> env = StackLauncher.kafkaLogin(
                StackLauncher.connection(
                        required(saved, "kafka"),
                        required(saved, "s3"),
                        credentials.accessKey(),
                        credentials.secretKey(),
                        credentials.apiKey()),
                Component.GATEWAY,
                credentials.kafkaPasswords().get(Component.GATEWAY));
        String databaseUrl = required(saved, "database");
        String databaseUser = required(saved, "database-user");
        // meadow up's own database logs the gateway in with a role per job; an external one with its single user.
        env.putAll(
                databaseUser.equals(EmbeddedDatabase.READER)
                        ? EmbeddedDatabase.logins(databaseUrl, credentials.database())
                                .environment()
                        : DatabaseLogins.single(databaseUrl, databaseUser, System.getenv("MEADOW_DATABASE_PASSWORD"))
                                .environment());
        Path work = Files.createTempDirectory("meadow-bench-gateway-");
        int port = FreePorts.pick();
        ComponentSpec spec =
                StackLauncher.service(MeadowHome.root(), "bench-gateway", "gateway", port, "256m", work, env);
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile());
        builder.environment().putAll(spec.environment());
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            while (!spec.probe().healthy()) {
                if (!process.isAlive()) {
                    throw new UserError("the second gateway exited while starting; see " + work.resolve("gateway.log"));
                }
                if (seconds(start) > 120) {
                    throw new UserError("the second gateway was not ready within 120 s");
                }
                Thread.sleep(100);
            }
            out.printf(
                    Locale.ROOT,
                    "  a second gateway (256 MB heap, same database) from start to ready: %.1f s%n",
                    seconds(start));
            out.flush();
        } finally {
            process.destroy();
            process.waitFor();
            Directories.deleteRecursively(work);
        }
    }

    private void searches(PrintWriter out, GatewayClient gateway) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        String[][] pairs = {GalleryLoad.COLOURS, GalleryLoad.ANIMALS, GalleryLoad.ACTIONS};
        double[] millis = new double[queries];
        long found = 0;
        for (int i = 0; i < queries; i++) {
            String[] first = pairs[random.nextInt(pairs.length)];
            String[] second = pairs[(Arrays.asList(pairs).indexOf(first) + 1 + random.nextInt(2)) % pairs.length];
            String q = first[random.nextInt(first.length)] + " " + second[random.nextInt(second.length)];
            long t = System.nanoTime();
            JsonNode page = get(gateway, "api/images?size=24&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
            millis[i] = (System.nanoTime() - t) / 1e6;
            found += page.path("items").size();
        }
        out.printf(
                Locale.ROOT,
                "  two-word search, first page of 24 (%d queries, %,d images shown): %s%n",
                queries,
                found,
                percentiles(millis));
        out.flush();
    }

    private void deepPage(PrintWriter out, GatewayClient gateway) throws Exception {
        String filter = "api/images?size=24&model=" + GalleryLoad.MODELS[0];
        String after = null;
        for (int page = 1; page < 1000; page++) {
            JsonNode json = get(gateway, filter + (after == null ? "" : "&after=" + after));
            if (!json.path("next").isTextual()) {
                out.printf(
                        "  page 1,000 of a filtered listing: the listing has only %d pages; write more results%n",
                        page);
                return;
            }
            after = json.path("next").asText();
        }
        double[] millis = new double[queries];
        for (int i = 0; i < queries; i++) {
            long t = System.nanoTime();
            JsonNode page = get(gateway, filter + "&after=" + after);
            millis[i] = (System.nanoTime() - t) / 1e6;
            if (page.path("items").size() != 24) {
                throw new UserError("page 1,000 held " + page.path("items").size() + " images, not 24");
            }
        }
        out.printf(
                Locale.ROOT,
                "  page 1,000 of a filtered listing (model %s, 24 a page): %s%n",
                GalleryLoad.MODELS[0],
                percentiles(millis));
        out.flush();
    }

    private JsonNode get(GatewayClient gateway, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(gateway.base() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new UserError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.mapper().readTree(response.body());
    }

    static String percentiles(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms, p95 %.1f ms, max %.1f ms",
                at(sorted, 0.50),
                at(sorted, 0.95),
                sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String required(Properties saved, String key) {
        String value = saved.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new UserError("client.properties in " + "the data directory names no " + key
                    + "; start the stack with meadow up (this version) first");
        }
        return value;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
