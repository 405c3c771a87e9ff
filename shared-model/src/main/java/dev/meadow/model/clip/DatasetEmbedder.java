package dev.meadow.model.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import dev.meadow.dataset.EmbeddingMatrix;
import dev.meadow.dataset.Snapshot;

/** Embeds every image and every caption of a snapshot once with one CLIP model. */
public final class DatasetEmbedder {

    /** The snapshot's image embeddings and caption embeddings (with the image each caption describes). */
    public record Embedded(String clipModelId, EmbeddingMatrix images, EmbeddingMatrix captions) {
    }

    private static final int CHUNK = 256;

    private DatasetEmbedder() {
    }

    /** {@code progress} hears how many items (images, then captions) are done, out of images + captions. */
    public static Embedded embed(Snapshot snapshot, ClipModel clip, IntConsumer progress) {
        List<String> files = snapshot.imageFiles();
        int d = clip.dimension();
        float[] images = new float[files.size() * d];
        int done = 0;
        for (int start = 0; start < files.size(); start += CHUNK) {
            List<java.awt.image.BufferedImage> chunk = new ArrayList<>();
            for (int i = start; i < Math.min(files.size(), start + CHUNK); i++) {
                chunk.add(snapshot.readImage(files.get(i)));
            }
            float[][] rows = clip.encodeImages(chunk);
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(rows[k], 0, images, (start + k) * d, d);
            }
            done += rows.length;
            progress.accept(done);
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
        return new Embedded(clip.modelId(),
                new EmbeddingMatrix(files.size(), d, images, null),
                new EmbeddingMatrix(texts.size(), d, captions, owners.stream().mapToInt(Integer::intValue).toArray()));
    }
}
