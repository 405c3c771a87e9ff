package dev.meadow.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.client.ClientOptions;
import dev.meadow.cli.client.GatewayClient;
import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.dataset.Snapshot;
import dev.meadow.files.Directories;
import dev.meadow.synth.PastoralSynth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = {
            "On the stack that meadow up runs: how long a large dataset takes from upload to embedded.",
            "Renders N Pastoral-Synth images, uploads them as a zip with captions.jsonl, waits until the embedder",
            "has embedded them, then cancels the training it queued (so that the trainer is left alone)."
        })
public final class BenchDatasetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(
            names = "--images",
            defaultValue = "10000",
            description = "Images in the dataset (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--size", defaultValue = "64", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--timeout",
            defaultValue = "3600",
            description = "Seconds to wait for embedding (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Inputs.positive(images, "--images");
        PrintWriter out = spec.commandLine().getOut();
        GatewayClient gateway = options.client();
        Path work = Files.createTempDirectory("meadow-bench-dataset-");
        try {
            out.printf(
                    "Dataset benchmark on %s: %d images of %dx%d, %d cores%n",
                    gateway.base(), images, size, size, Runtime.getRuntime().availableProcessors());
            out.flush();
            long start = System.nanoTime();
            Snapshot snapshot = PastoralSynth.generate(images, size, 11, work.resolve("synth"), i -> {});
            Path zip = zip(snapshot, work.resolve("dataset.zip"));
            out.printf(
                    Locale.ROOT, "  rendered and zipped in %.1f s (%.1f MB)%n", seconds(start), Files.size(zip) / 1e6);
            out.flush();

            long upload = System.nanoTime();
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", "bench " + images);
            fields.put("epochs", "1");
            JsonNode accepted = gateway.postMultipart("api/datasets", Map.of("images", zip), fields);
            String snapshotId = accepted.path("snapshotId").asText();
            double accept = seconds(upload);
            out.printf(
                    Locale.ROOT,
                    "  upload accepted in %.1f s: %s, %d images%n",
                    accept,
                    snapshotId,
                    accepted.path("images").asInt());
            out.flush();

            String state = "queued";
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (state.equals("queued")) {
                if (System.nanoTime() > deadline) {
                    throw new UserError(snapshotId + " was not embedded within " + timeoutSeconds + " s");
                }
                Thread.sleep(1000);
                state = stateOf(gateway, snapshotId);
            }
            double embedded = seconds(upload);
            if (state.equals("failed")) {
                throw new UserError(snapshotId + " failed: see GET /api/datasets");
            }
            if (!state.equals("finished")) {
                gateway.delete("api/datasets/" + snapshotId);
            }
            out.printf(
                    Locale.ROOT,
                    "  embedded %.1f s after the upload started (%.1f s after it was accepted): "
                            + "%.0f images/s from upload to embedded%n",
                    embedded,
                    embedded - accept,
                    images / embedded);
            return 0;
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    private static String stateOf(GatewayClient gateway, String snapshotId) {
        for (JsonNode dataset : gateway.get("api/datasets")) {
            if (dataset.path("snapshotId").asText().equals(snapshotId)) {
                return dataset.path("state").asText();
            }
        }
        return "queued";
    }

    /** The images and captions.jsonl, stored uncompressed (PNGs do not shrink), as an upload takes them. */
    private static Path zip(Snapshot snapshot, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setMethod(ZipOutputStream.STORED);
            put(zip, Snapshot.CAPTIONS, Files.readAllBytes(snapshot.directory().resolve(Snapshot.CAPTIONS)));
            for (String image : snapshot.imageFiles()) {
                put(zip, image, Files.readAllBytes(snapshot.imagePath(image)));
            }
        }
        return target;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
