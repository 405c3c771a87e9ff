package dev.meadow.gateway.service;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.gateway.service.gallery.Cursor;
import dev.meadow.gateway.service.gallery.GalleryQueries;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A batch's images as one ZIP, streamed: rows come from the database a page at a time (no connection is held
 * between pages), PNGs from the object store several at once (in order), and each goes out as soon as it is in.
 * PNGs are stored as they are (they are compressed already), and {@code manifest.jsonl} comes last with a line per
 * image: file, prompt, seed, model. A download whose client has gone stops reading the store, and one whose client
 * stops reading is cut off after {@code meadow.gateway.archives.write-timeout}.
 */
@ApplicationScoped
public class BatchArchive {

    /** PNGs fetched ahead of the one being written, per download. */
    private static final int FETCH_AHEAD = 8;

    private static final int PAGE = 500;
    public static final String MANIFEST = "manifest.jsonl";

    private final GalleryQueries gallery;
    private final ObjectStore store;
    private final int maxConcurrent;
    private final Duration writeTimeout;
    private final ExecutorService fetchers;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zip-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger writing = new AtomicInteger();
    private final Counter objectsRead;

    BatchArchive(GalleryQueries gallery, ObjectStore store, GatewayConfig config, MeterRegistry registry) {
        this.gallery = gallery;
        this.store = store;
        this.maxConcurrent = config.archives().maxConcurrent();
        this.writeTimeout = config.archives().writeTimeout();
        this.fetchers = Executors.newFixedThreadPool(maxConcurrent * FETCH_AHEAD, r -> {
            Thread t = new Thread(r, "zip-fetch");
            t.setDaemon(true);
            return t;
        });
        this.objectsRead = Counter.builder("meadow.gateway.archive.objects")
                .description("Images read from the object store for batch downloads")
                .register(registry);
    }

    /**
     * The client an archive goes to: whether it has gone, and how to cut it off. A download whose client goes away
     * stops reading the store; one whose client stops reading is cut off after the write timeout.
     */
    public interface Client {
        boolean gone();

        void cutOff();
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
     * Takes an archive slot before any byte is written: {@link NotFoundException} unless the batch exists, 503 while
     * as many archives as allowed are being written.
     */
    public Slot reserve(String batchId) {
        gallery.batch(batchId).orElseThrow(() -> new NotFoundException("no batch " + batchId));
        int now;
        do {
            now = writing.get();
            if (now >= maxConcurrent) {
                throw new ServiceUnavailableException(
                        maxConcurrent + " batch downloads are running; try again shortly");
            }
        } while (!writing.compareAndSet(now, now + 1));
        Slot slot = new Slot();
        // A response whose body never starts (its client gone before) gives its slot back.
        watchdog.schedule(
                () -> {
                    if (!slot.started) {
                        slot.release();
                    }
                },
                30,
                TimeUnit.SECONDS);
        return slot;
    }

    /** One of the archive slots, taken before the answer starts and given back once, when the archive ends. */
    public final class Slot {
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean started;

        void release() {
            if (released.compareAndSet(false, true)) {
                writing.decrementAndGet();
            }
        }
    }

    /** Writes the archive to {@code out} in the slot {@link #reserve} took; returns the number of images in it. */
    public int write(String batchId, OutputStream out, Client client, Slot slot) throws IOException {
        slot.started = true;
        if (slot.released.get()) {
            throw new IOException("the download of " + batchId + " started too late; its slot was given back");
        }
        Deque<Map.Entry<GenerationResult, CompletableFuture<byte[]>>> pending = new ArrayDeque<>();
        WatchedOutput watched = new WatchedOutput(out);
        ScheduledFuture<?> watch = watchdog.scheduleWithFixedDelay(
                () -> {
                    if (watched.blockedFor() > writeTimeout.toNanos()) {
                        client.cutOff();
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        try {
            ZipOutputStream zip = new ZipOutputStream(watched);
            StringBuilder manifest = new StringBuilder();
            int written = 0;
            Cursor after = null;
            List<GenerationResult> page;
            do {
                page = gallery.imagesOfBatch(batchId, after, PAGE);
                for (GenerationResult result : page) {
                    if (client.gone()) {
                        throw new IOException("the client of the download of " + batchId + " has gone");
                    }
                    pending.add(Map.entry(result, CompletableFuture.supplyAsync(() -> read(result), fetchers)));
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
            watch.cancel(false);
            pending.forEach(p -> p.getValue().cancel(true));
            slot.release();
        }
    }

    private byte[] read(GenerationResult result) {
        objectsRead.increment();
        return store.get(Bucket.IMAGES, result.imageKey());
    }

    /** Knows how long the write in progress has waited for the client. */
    private static final class WatchedOutput extends FilterOutputStream {
        private volatile long writingSince;

        WatchedOutput(OutputStream out) {
            super(out);
        }

        long blockedFor() {
            long since = writingSince;
            return since == 0 ? 0 : System.nanoTime() - since;
        }

        /** Pieces this size, so that the timeout measures a client that stalls, not one that reads slowly. */
        private static final int PIECE = 64 * 1024;

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int from = off; from < off + len; from += PIECE) {
                writingSince = System.nanoTime();
                try {
                    out.write(b, from, Math.min(PIECE, off + len - from));
                } finally {
                    writingSince = 0;
                }
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            writingSince = System.nanoTime();
            try {
                out.flush();
            } finally {
                writingSince = 0;
            }
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
        watchdog.shutdownNow();
    }
}
