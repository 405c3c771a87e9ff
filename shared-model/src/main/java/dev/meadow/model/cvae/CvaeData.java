package dev.meadow.model.cvae;

import java.util.ArrayList;
import java.util.List;

import dev.meadow.dataset.EmbeddingMatrix;
import dev.meadow.dataset.InvalidSnapshotException;
import dev.meadow.dataset.Snapshot;

/**
 * What a CVAE trains on: images, their CLIP image embeddings, and the CLIP text embeddings of their captions.
 *
 * @param pixels {@code count x imageSize x imageSize x 3} values in [0, 1]
 * @param imageEmbeddings {@code count x dimension}
 * @param captionEmbeddings {@code captions x dimension}
 * @param captionImage for each caption, the index of the image it describes
 */
public record CvaeData(
        int imageSize,
        int count,
        float[] pixels,
        int dimension,
        float[] imageEmbeddings,
        float[] captionEmbeddings,
        int[] captionImage) {

    public CvaeData {
        if (pixels.length != (long) count * imageSize * imageSize * 3) {
            throw new IllegalArgumentException("expected " + count + " images of " + imageSize + "x" + imageSize);
        }
        if (imageEmbeddings.length != (long) count * dimension) {
            throw new IllegalArgumentException("expected one image embedding of " + dimension + " per image");
        }
        if (captionEmbeddings.length != (long) captionImage.length * dimension) {
            throw new IllegalArgumentException("expected one caption embedding of " + dimension + " per caption");
        }
        for (int owner : captionImage) {
            if (owner < 0 || owner >= count) {
                throw new IllegalArgumentException("caption refers to image " + owner + " of " + count);
            }
        }
    }

    /** A snapshot's images at {@code imageSize}, with the CLIP embeddings of its images and captions. */
    public static CvaeData of(Snapshot snapshot, int imageSize, EmbeddingMatrix images, EmbeddingMatrix captions) {
        if (images.rows() != snapshot.size()) {
            throw new InvalidSnapshotException("snapshot " + snapshot.manifest().name() + " has " + snapshot.size()
                    + " images but " + images.rows() + " image embeddings");
        }
        return new CvaeData(
                imageSize,
                snapshot.size(),
                snapshot.loadPixels(imageSize),
                images.dimension(),
                images.values(),
                captions.values(),
                captions.owners());
    }

    public int pixelsPerImage() {
        return imageSize * imageSize * 3;
    }

    /** For each image, the indexes of its captions. */
    public int[][] captionsByImage() {
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lists.add(new ArrayList<>());
        }
        for (int c = 0; c < captionImage.length; c++) {
            lists.get(captionImage[c]).add(c);
        }
        int[][] out = new int[count][];
        for (int i = 0; i < count; i++) {
            out[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
