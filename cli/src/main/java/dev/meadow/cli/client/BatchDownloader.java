package dev.meadow.cli.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.common.Progress;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Json;
import me.tongfei.progressbar.ProgressBar;

/**
 * Writes a batch's images to a directory as {@code <jobId>.png}, with {@code manifest.jsonl} (a line per image:
 * file, prompt, seed, model), and resumes: an image is in the manifest only once its PNG is complete on disk (each is
 * written to a temporary name and moved into place), so a download run again fetches just what is missing.
 */
public final class BatchDownloader {

    public static final String MANIFEST = "manifest.jsonl";
    private static final int PAGE_SIZE = 200;

    /**
     * The largest picture kept: far above any Meadow draws (a 128x128 PNG is tens of kilobytes), far below what fills
     * a disk.
     */
    static final long MAX_IMAGE_BYTES = 32L * 1024 * 1024;

    /** What one run did; {@code failures} names the images that could not be fetched (run again for them). */
    public record Outcome(int downloaded, int alreadyThere, long imagesInBatch, List<String> failures) {}

    private final GatewayClient gateway;
    private final int parallel;

    public BatchDownloader(GatewayClient gateway, int parallel) {
        this.gateway = gateway;
        this.parallel = parallel;
    }

    public Outcome download(String batchId, Path directory) throws InterruptedException {
        JsonNode batch = gateway.get("api/batches/" + encode(batchId));
        long expected = batch.path("generated").asLong();
        // What the gateway announced when the batch was queued: a listing never goes past it.
        long total = batch.path("total").asLong(-1);
        if (total < 0 || total > Integer.MAX_VALUE) {
            throw new UserError("the gateway's answer for batch " + batchId + " has no valid total");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UserError("cannot create " + directory + ": " + e.getMessage());
        }
        Path manifest = directory.resolve(MANIFEST);
        Set<String> done = readManifest(manifest);
        int already = 0;
        int fetched = 0;
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try (Writer lines = Files.newBufferedWriter(
                        manifest, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                ProgressBar bar = Progress.bar("downloading", expected)) {
            String after = null;
            Set<String> listed = new HashSet<>();
            Set<String> cursors = new HashSet<>();
            do {
                JsonNode page = gateway.get("api/images?batch=" + encode(batchId) + "&size=" + PAGE_SIZE
                        + (after == null ? "" : "&after=" + encode(after)));
                List<Future<JsonNode>> pending = new ArrayList<>();
                checkPage(batchId, page, listed, cursors, total);
                for (JsonNode image : page.path("items")) {
                    if (!done.add(image.path("jobId").asText())) {
                        already++;
                        bar.step();
                        continue;
                    }
                    pending.add(pool.submit(() -> fetch(image, directory)));
                }
                for (Future<JsonNode> future : pending) {
                    bar.step();
                    JsonNode line;
                    try {
                        line = await(future);
                    } catch (UserError e) {
                        // One image the store lost does not stop the rest; it is reported at the end.
                        failures.add(e.getMessage());
                        continue;
                    }
                    lines.write(Json.mapper().writeValueAsString(line));
                    lines.write('\n');
                    fetched++;
                }
                lines.flush();
                after = page.path("next").isTextual() ? page.path("next").asText() : null;
            } while (after != null);
        } catch (IOException e) {
            throw new UserError("cannot write " + manifest + ": " + e.getMessage());
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(fetched, already, expected, failures);
    }

    /**
     * A listing from a gateway that is broken or hostile ends here rather than run on: every image is one of the
     * batch's, none is listed twice, no cursor comes back, and there are never more than the batch's total.
     */
    static void checkPage(String batchId, JsonNode page, Set<String> listed, Set<String> cursors, long total) {
        for (JsonNode image : page.path("items")) {
            String jobId = image.path("jobId").asText();
            if (!isJobOf(batchId, jobId, total)) {
                throw new UserError("the gateway listed image " + jobId + " in batch " + batchId
                        + ", which is not one of its images; stopped");
            }
            if (!listed.add(jobId)) {
                throw new UserError("the gateway listed image " + jobId + " twice; stopped");
            }
        }
        if (listed.size() > total) {
            throw new UserError(
                    "the gateway listed more images than batch " + batchId + "'s total of " + total + "; stopped");
        }
        JsonNode next = page.path("next");
        if (next.isTextual()
                && (!cursors.add(next.asText()) || page.path("items").isEmpty())) {
            throw new UserError("the gateway's listing of batch " + batchId + " repeats a page; stopped");
        }
    }

    /** A job id as the gateway derives it (JobIds): the batch's id, a dash, and its index below the total. */
    static boolean isJobOf(String batchId, String jobId, long total) {
        if (!jobId.startsWith(batchId + "-")) {
            return false;
        }
        String index = jobId.substring(batchId.length() + 1);
        return index.matches("\\d{6,9}")
                && Long.parseLong(index) < total
                && index.equals(String.format(java.util.Locale.ROOT, "%06d", Long.parseLong(index)));
    }

    /** Fetches one PNG into place and returns its manifest line. */
    private JsonNode fetch(JsonNode image, Path directory) throws IOException {
        String jobId = image.path("jobId").asText();
        if (!jobId.matches("[A-Za-z0-9._-]{1,200}") || jobId.startsWith(".")) {
            throw new UserError("the gateway named an image '" + jobId + "', which is no safe file name");
        }
        String file = jobId + ".png";
        Path part = directory.resolve("." + file + ".part");
        Files.deleteIfExists(part);
        gateway.download("api/images/" + encode(jobId) + "/png", part, MAX_IMAGE_BYTES);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(part, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("file", file);
        for (String field : List.of(
                "jobId", "index", "prompt", "seed", "modelVersion", "clipModelId", "width", "height", "completedAt")) {
            line.put(field, image.get(field));
        }
        return Json.mapper().valueToTree(line);
    }

    /**
     * The job ids a manifest already lists whose PNG is there. The manifest is rewritten with just those lines: a
     * line cut short by an interruption, or one whose PNG has gone, is dropped, so that appending goes on cleanly
     * and no image is listed twice.
     */
    static Set<String> readManifest(Path manifest) {
        Set<String> done = new HashSet<>();
        if (!Files.exists(manifest)) {
            return done;
        }
        try {
            List<String> kept = new ArrayList<>();
            // Decoded leniently: a line cut inside a character must not make the whole manifest unreadable.
            for (String line : new String(Files.readAllBytes(manifest), StandardCharsets.UTF_8).split("\n")) {
                JsonNode entry;
                try {
                    entry = Json.mapper().readTree(line);
                } catch (IOException cutShort) {
                    continue;
                }
                String file = entry == null ? "" : entry.path("file").asText();
                String jobId = entry == null ? "" : entry.path("jobId").asText();
                if (!file.isEmpty()
                        && !file.contains("/")
                        && Files.isRegularFile(manifest.resolveSibling(file))
                        && done.add(jobId)) {
                    kept.add(line);
                }
            }
            Path rewritten = manifest.resolveSibling("." + MANIFEST + ".part");
            Files.write(rewritten, kept, StandardCharsets.UTF_8);
            Files.move(rewritten, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return done;
        } catch (IOException e) {
            throw new UserError("cannot read " + manifest + " (" + e.getMessage() + "); move it away to start over");
        }
    }

    private static JsonNode await(Future<JsonNode> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UserError error) {
                throw error;
            }
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
