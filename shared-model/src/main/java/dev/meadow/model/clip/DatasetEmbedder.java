package dev.meadow.model.clip;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import dev.meadow.dataset.EmbeddingMatrix;
import dev.meadow.dataset.Snapshot;
import dev.meadow.image.ImageArrays;

/** Embeds every image and every caption of a snapshot once with one CLIP model. */
public final class DatasetEmbedder {

    /** The snapshot's image embeddings and caption embeddings (with the image each caption describes). */
    public record Embedded(String clipModelId, EmbeddingMatrix images, EmbeddingMatrix captions) {}

    private static final int CHUNK = 256;

    private DatasetEmbedder() {}

    /**
     * Gets a chunk of a snapshot's images ready to read (from the object store, say) before they are read, and
     * tidies up after they have been.
     */
    public interface ImageSource {

        default void fetch(List<String> files) {}

        default void release(List<String> files) {}
    }

    /** {@code progress} hears how many items (images, then captions) are done, out of images + captions. */
    public static Embedded embed(Snapshot snapshot, ClipModel clip, IntConsumer progress) {
        return embed(snapshot, new ImageSource() {}, clip, progress);
    }

    /**
     * Embeds a snapshot whose images {@code source} fetches a chunk at a time; the next chunk is fetched while CLIP
     * encodes the current one, so that a large snapshot costs about its encoding time and holds two chunks at most.
     */
    public static Embedded embed(Snapshot snapshot, ImageSource source, ClipModel clip, IntConsumer progress) {
        List<String> files = snapshot.imageFiles();
        int d = clip.dimension();
        float[] images = new float[files.size() * d];
        int done = 0;
        ExecutorService fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "snapshot-image-fetch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            int side = clip.card().imageSize();
            Future<List<BufferedImage>> next = fetcher.submit(() -> load(snapshot, source, chunk(files, 0), side));
            for (int start = 0; start < files.size(); start += CHUNK) {
                List<BufferedImage> pictures = await(next);
                int following = start + CHUNK;
                next = following < files.size()
                        ? fetcher.submit(() -> load(snapshot, source, chunk(files, following), side))
                        : null;
                float[][] rows = clip.encodeImages(pictures);
                for (int k = 0; k < rows.length; k++) {
                    System.arraycopy(rows[k], 0, images, (start + k) * d, d);
                }
                done += rows.length;
                progress.accept(done);
            }
        } finally {
            fetcher.shutdownNow();
            awaitQuietly(fetcher);
        }
        List<String> texts = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            for (String caption : snapshot.captionsByImage().get(files.get(i))) {
                texts.add(caption);
                owners.add(i);
            }
        }
        float[] captions = new float[texts.size() * d];
        for (int start = 0; start < texts.size(); start += CHUNK) {
            float[][] rows = clip.encodeText(texts.subList(start, Math.min(texts.size(), start + CHUNK)));
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(rows[k], 0, captions, (start + k) * d, d);
            }
            done += rows.length;
            progress.accept(done);
        }
        return new Embedded(
                clip.modelId(),
                new EmbeddingMatrix(files.size(), d, images, null),
                new EmbeddingMatrix(
                        texts.size(),
                        d,
                        captions,
                        owners.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static List<String> chunk(List<String> files, int start) {
        return files.subList(start, Math.min(files.size(), start + CHUNK));
    }

    /** A chunk, already at CLIP's input size: two chunks of large pictures would not fit in memory otherwise. */
    private static List<BufferedImage> load(Snapshot snapshot, ImageSource source, List<String> files, int side) {
        source.fetch(files);
        try {
            List<BufferedImage> images = new ArrayList<>(files.size());
            for (String file : files) {
                images.add(ImageArrays.squareResize(snapshot.readImage(file), side));
            }
            return images;
        } finally {
            source.release(files);
        }
    }

    /** So that no fetch still writes into a directory the caller is about to delete. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<BufferedImage> await(Future<List<BufferedImage>> chunk) {
        try {
            return chunk.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("fetching images failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching images", e);
        }
    }
}
