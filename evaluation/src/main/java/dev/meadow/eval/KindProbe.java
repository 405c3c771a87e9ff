package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.Retrieval;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.judge.SceneJudge;
import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import dev.meadow.synth.SceneRenderer;

/**
 * Whether a condition can carry an animal's kind at all: renders of one kind of animal each, embedded by a CLIP's
 * image tower, the last third classified by the kinds of the first two thirds (nearest kind centroid and ten nearest
 * neighbours by cosine). A decoder conditioned on that CLIP, and a prior that draws its embeddings, can only draw
 * the kinds these classifiers tell apart. Optionally, what a decoder draws from each test render's own embedding, as
 * the scene judge reads its kind.
 */
public final class KindProbe {

    private static final int NEIGHBOURS = 10;

    /**
     * @param centroid accuracy of the nearest kind centroid
     * @param neighbours accuracy of the majority of the ten nearest neighbours
     * @param judgedRenders the scene judge on the test renders themselves
     * @param judgedDecoder the scene judge on the decoder's pictures of the test renders' embeddings (NaN without one)
     * @param tested test renders
     */
    public record Result(double centroid, double neighbours, double judgedRenders, double judgedDecoder, int tested) {}

    private KindProbe() {}

    /** {@code decoder} may be null. Renders of {@code seed}, scenes with animals of one kind only. */
    public static Result run(ClipModel clip, Decoder decoder, SceneJudge judge, int renders, long seed) {
        if (renders < 30) {
            throw new IllegalArgumentException("at least 30 renders, so that a third is worth testing");
        }
        List<BufferedImage> pictures = new ArrayList<>();
        int[] kinds = new int[renders];
        for (int index = 0; pictures.size() < renders; index++) {
            Scene scene = PastoralSynth.scene(seed, index);
            if (scene.animals().isEmpty()) {
                continue;
            }
            Scene.Animal kind = scene.animals().get(0).animal();
            if (scene.animals().stream().anyMatch(g -> g.animal() != kind)) {
                continue;
            }
            kinds[pictures.size()] = kind.ordinal();
            pictures.add(SceneRenderer.render(scene, clip.card().imageSize()));
        }
        float[][] embeddings = clip.encodeImages(pictures);
        int train = renders * 2 / 3;
        int k = Scene.Animal.values().length;
        int d = embeddings[0].length;
        double[][] centroids = new double[k][d];
        for (int i = 0; i < train; i++) {
            for (int j = 0; j < d; j++) {
                centroids[kinds[i]][j] += embeddings[i][j];
            }
        }
        int byCentroid = 0;
        int byNeighbours = 0;
        for (int i = train; i < renders; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double norm = Math.sqrt(dot(centroids[c], centroids[c]));
                double score = norm == 0 ? Double.NEGATIVE_INFINITY : dot(centroids[c], embeddings[i]) / norm;
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            byCentroid += best == kinds[i] ? 1 : 0;
            byNeighbours += majorityOfNearest(embeddings, kinds, train, i, k) == kinds[i] ? 1 : 0;
        }
        int tested = renders - train;
        List<BufferedImage> tests = pictures.subList(train, renders);
        double renderAccuracy = judgedAccuracy(judge, tests, kinds, train);
        double decoderAccuracy = Double.NaN;
        if (decoder != null) {
            float[][] conditions = Arrays.copyOfRange(embeddings, train, renders);
            long[] seeds = new long[tested];
            for (int i = 0; i < tested; i++) {
                seeds[i] = i;
            }
            List<BufferedImage> drawn =
                    decoder.decodeImages(conditions, seeds, decoder.sampling(0f).withPrior(false));
            decoderAccuracy = judgedAccuracy(judge, drawn, kinds, train);
        }
        return new Result(
                byCentroid / (double) tested, byNeighbours / (double) tested, renderAccuracy, decoderAccuracy, tested);
    }

    private static double judgedAccuracy(SceneJudge judge, List<BufferedImage> pictures, int[] kinds, int offset) {
        List<Map<String, String>> read = judge.judge(pictures);
        int right = 0;
        for (int i = 0; i < read.size(); i++) {
            String kind = Scene.Animal.values()[kinds[offset + i]].name().toLowerCase(java.util.Locale.ROOT);
            right += kind.equals(read.get(i).get(Attribute.ANIMAL_KIND.key())) ? 1 : 0;
        }
        return right / (double) read.size();
    }

    private static int majorityOfNearest(float[][] embeddings, int[] kinds, int train, int query, int k) {
        Integer[] order = new Integer[train];
        double[] similarity = new double[train];
        for (int t = 0; t < train; t++) {
            order[t] = t;
            similarity[t] = Retrieval.dot(embeddings[t], embeddings[query]);
        }
        Arrays.sort(order, (a, b) -> Double.compare(similarity[b], similarity[a]));
        int[] votes = new int[k];
        for (int n = 0; n < Math.min(NEIGHBOURS, train); n++) {
            votes[kinds[order[n]]]++;
        }
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (votes[c] > votes[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
