package dev.meadow.model.clip;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The reverse pipeline: which captions of a pool a CLIP model finds closest to a picture. The pool's text
 * embeddings are computed once; each query then costs one image encoding and a scan.
 */
public final class ReverseCaptioner {

    /** The caption pool beside a CLIP model: one caption per line. */
    public static final String POOL_FILE = "captions.txt";

    public record Match(String caption, double similarity) {}

    private final ClipModel clip;
    private final List<String> captions;
    private final float[][] embeddings;

    public ReverseCaptioner(ClipModel clip, List<String> captions) {
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("the caption pool is empty");
        }
        this.clip = clip;
        this.captions = List.copyOf(captions);
        this.embeddings = clip.encodeText(this.captions);
    }

    /** Loads the pool that ships beside the model ({@value #POOL_FILE}). */
    public static ReverseCaptioner forModel(ClipModel clip) {
        Path pool = clip.directory().resolve(POOL_FILE);
        if (!Files.isRegularFile(pool)) {
            throw new IllegalArgumentException(
                    "CLIP model " + clip.modelId() + " has no caption pool (" + POOL_FILE + ")");
        }
        try {
            return new ReverseCaptioner(
                    clip,
                    Files.readAllLines(pool, StandardCharsets.UTF_8).stream()
                            .map(String::strip)
                            .filter(line -> !line.isEmpty())
                            .distinct()
                            .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pool, e);
        }
    }

    /** Writes the first {@code limit} distinct captions as a pool file in {@code modelDir}. */
    public static int writePool(Path modelDir, Collection<String> captions, int limit) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String caption : captions) {
            String line = caption.replace('\n', ' ').strip();
            if (!line.isEmpty() && distinct.size() < limit) {
                distinct.add(line);
            }
        }
        try {
            Files.write(modelDir.resolve(POOL_FILE), distinct, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the caption pool to " + modelDir, e);
        }
        return distinct.size();
    }

    public String modelId() {
        return clip.modelId();
    }

    public int poolSize() {
        return captions.size();
    }

    /** The {@code k} captions most similar to {@code image}, most similar first. */
    public List<Match> closest(BufferedImage image, int k) {
        float[] query = clip.encodeImages(List.of(image))[0];
        int n = Math.min(k, captions.size());
        int[] best = new int[n];
        double[] scores = new double[n];
        int filled = 0;
        for (int i = 0; i < embeddings.length; i++) {
            double score = Retrieval.dot(query, embeddings[i]);
            if (filled < n || score > scores[filled - 1]) {
                int at = filled < n ? filled++ : n - 1;
                while (at > 0 && scores[at - 1] < score) {
                    scores[at] = scores[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                scores[at] = score;
                best[at] = i;
            }
        }
        List<Match> matches = new ArrayList<>(filled);
        for (int j = 0; j < filled; j++) {
            matches.add(new Match(captions.get(best[j]), scores[j]));
        }
        return matches;
    }
}
