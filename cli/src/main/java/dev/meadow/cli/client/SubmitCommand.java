package dev.meadow.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Send a batch of prompts and follow it until every image is done.",
            "FILE: one prompt per line (optionally led by --seed N --count N), or .json / .jsonl; - reads stdin."
        })
public final class SubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "The prompts, or - for standard input.")
    String file;

    @Option(names = "--seed", description = "Batch seed: items without a seed derive theirs from it.")
    Long seed;

    @Option(names = "--format", description = "text, json or jsonl (default: from the file name; text for -).")
    String format;

    @Option(names = "--no-wait", description = "Return once the batch is accepted.")
    boolean noWait;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Once the batch is done, write its images here (as meadow download does).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        if (noWait && outDir != null) {
            throw new UserError("--out waits for the batch; leave out --no-wait (or use meadow download later)");
        }
        String contentType = contentType();
        GatewayClient gateway = options.client();
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        JsonNode accepted;
        try (InputStream in = open()) {
            accepted = gateway.post(
                    "api/batches" + (seed == null ? "" : "?seed=" + seed),
                    contentType,
                    HttpRequest.BodyPublishers.ofInputStream(() -> in));
        }
        double acceptSeconds = (System.nanoTime() - start) / 1e9;
        String batchId = accepted.path("batchId").asText();
        int total = accepted.path("total").asInt();
        out.printf(
                Locale.ROOT,
                "Batch %s: %d images accepted in %.2f s (batch seed %d)%n",
                batchId,
                total,
                acceptSeconds,
                accepted.path("seed").asLong());
        out.flush();
        if (noWait) {
            out.printf("Follow it with: meadow status %s%n", batchId);
            return 0;
        }
        JsonNode last = BatchWatcher.follow(gateway, batchId, total);
        BatchWatcher.summary(out, last);
        out.printf(
                Locale.ROOT,
                "All done %.1f s after submission. See them at %s?batch=%s%n",
                (System.nanoTime() - start) / 1e9,
                gateway.base(),
                batchId);
        int downloaded = 0;
        if (outDir != null) {
            long downloadStart = System.nanoTime();
            downloaded = DownloadCommand.report(
                    out,
                    spec.commandLine().getErr(),
                    new BatchDownloader(gateway, 8).download(batchId, outDir),
                    outDir,
                    downloadStart);
        }
        return last.path("failed").asInt() > 0 || downloaded != 0 ? 1 : 0;
    }

    private InputStream open() throws IOException {
        if ("-".equals(file)) {
            return System.in;
        }
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
            throw new UserError("prompt file " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(path)) {
            throw new UserError("prompt file " + file + " does not exist");
        }
        return Files.newInputStream(path);
    }

    private String contentType() {
        String kind = format != null
                ? format.toLowerCase(Locale.ROOT)
                : file.endsWith(".jsonl") || file.endsWith(".ndjson")
                        ? "jsonl"
                        : file.endsWith(".json") ? "json" : "text";
        return switch (kind) {
            case "text" -> "text/plain; charset=utf-8";
            case "json" -> "application/json";
            case "jsonl" -> "application/x-ndjson";
            default -> throw new UserError("--format must be text, json or jsonl");
        };
    }
}
