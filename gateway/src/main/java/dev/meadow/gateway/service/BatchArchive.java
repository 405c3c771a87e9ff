package dev.meadow.gateway.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.gateway.service.gallery.Cursor;
import dev.meadow.gateway.service.gallery.GalleryQueries;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A batch's images as one ZIP, streamed: rows come from the database a page at a time (no connection is held
 * between pages), PNGs from the object store several at once (in order), and each goes out as soon as it is in.
 * PNGs are stored as they are (they are compressed already), and {@code manifest.jsonl} comes last with a line per
 * image: file, prompt, seed, model.
 */
@ApplicationScoped
public class BatchArchive {

    /** PNGs fetched ahead of the one being written, per download. */
    private static final int FETCH_AHEAD = 8;
    /** Archives written at once; more are answered 503 (each holds object-store fetches and a response). */
    private static final int MAX_CONCURRENT = 4;

    private static final int PAGE = 500;
    public static final String MANIFEST = "manifest.jsonl";

    private final GalleryQueries gallery;
    private final ObjectStore store;
    private final ExecutorService fetchers = Executors.newFixedThreadPool(MAX_CONCURRENT * FETCH_AHEAD, r -> {
        Thread t = new Thread(r, "zip-fetch");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger writing = new AtomicInteger();

    BatchArchive(GalleryQueries gallery, ObjectStore store) {
        this.gallery = gallery;
        this.store = store;
    }

    /** What a manifest line says of one image. */
    public record ManifestLine(
            String file,
            String jobId,
            int index,
            String prompt,
            long seed,
            String modelVersion,
            String clipModelId,
            Integer width,
            Integer height,
            String completedAt,
            String error) {

        static ManifestLine of(GenerationResult r, String error) {
            return new ManifestLine(
                    error == null ? fileName(r) : null,
                    r.jobId(),
                    r.index(),
                    r.prompt(),
                    r.seed(),
                    r.modelVersion(),
                    r.clipModelId(),
                    r.width(),
                    r.height(),
                    r.completedAt().toString(),
                    error);
        }
    }

    /** The name an image has in the archive (and in {@code meadow download}'s directory). */
    public static String fileName(GenerationResult r) {
        return r.jobId() + ".png";
    }

    /**
     * Fails before any byte is written: {@link NotFoundException} unless the batch exists, 503 while as many
     * archives as allowed are being written.
     */
    public void checkCanWrite(String batchId) {
        gallery.batch(batchId).orElseThrow(() -> new NotFoundException("no batch " + batchId));
        if (writing.get() >= MAX_CONCURRENT) {
            throw new ServiceUnavailableException(MAX_CONCURRENT + " batch downloads are running; try again shortly");
        }
    }

    /** Writes the archive to {@code out}; returns the number of images in it. */
    public int write(String batchId, OutputStream out) throws IOException {
        writing.incrementAndGet();
        Deque<Map.Entry<GenerationResult, CompletableFuture<byte[]>>> pending = new ArrayDeque<>();
        try {
            ZipOutputStream zip = new ZipOutputStream(out);
            StringBuilder manifest = new StringBuilder();
            int written = 0;
            Cursor after = null;
            List<GenerationResult> page;
            do {
                page = gallery.imagesOfBatch(batchId, after, PAGE);
                for (GenerationResult result : page) {
                    pending.add(Map.entry(
                            result,
                            CompletableFuture.supplyAsync(
                                    () -> store.get(Bucket.IMAGES, result.imageKey()), fetchers)));
                    if (pending.size() >= FETCH_AHEAD) {
                        written += writeNext(zip, pending.removeFirst(), manifest);
                    }
                }
                if (!page.isEmpty()) {
                    GenerationResult last = page.get(page.size() - 1);
                    after = new Cursor(last.completedAt(), last.jobId());
                }
            } while (page.size() == PAGE);
            while (!pending.isEmpty()) {
                written += writeNext(zip, pending.removeFirst(), manifest);
            }
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish();
            zip.flush();
            return written;
        } finally {
            pending.forEach(p -> p.getValue().cancel(true));
            writing.decrementAndGet();
        }
    }

    private static int writeNext(
            ZipOutputStream zip, Map.Entry<GenerationResult, CompletableFuture<byte[]>> next, StringBuilder manifest)
            throws IOException {
        GenerationResult result = next.getKey();
        byte[] png;
        try {
            png = next.getValue().get();
        } catch (ExecutionException e) {
            // An image gone from the store (or unreadable) is named in the manifest; the rest still come.
            manifest.append(json(ManifestLine.of(
                            result, "not in the object store: " + e.getCause().getMessage())))
                    .append('\n');
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + result.jobId());
        }
        ZipEntry entry = new ZipEntry(fileName(result));
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(png.length);
        entry.setCompressedSize(png.length);
        CRC32 crc = new CRC32();
        crc.update(png);
        entry.setCrc(crc.getValue());
        entry.setTime(result.completedAt().toEpochMilli());
        zip.putNextEntry(entry);
        zip.write(png);
        zip.closeEntry();
        manifest.append(json(ManifestLine.of(result, null))).append('\n');
        return 1;
    }

    private static String json(ManifestLine line) {
        try {
            return Json.mapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        fetchers.shutdownNow();
    }
}
