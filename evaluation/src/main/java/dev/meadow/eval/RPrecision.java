package dev.meadow.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.meadow.model.clip.Retrieval;

/**
 * CLIP R-precision: each generated image ranks its own prompt among {@code distractors} other prompts drawn from
 * the same pool; R@1 is the share of images whose own prompt comes first. Distractors never repeat the image's own
 * prompt text, so a duplicate caption cannot count as a miss.
 */
public final class RPrecision {

    public static final int DEFAULT_DISTRACTORS = 99;

    private RPrecision() {}

    /**
     * @param images judge embeddings of the generated images, L2-normalised
     * @param prompts the prompt text of each image
     * @param promptEmbeddings judge text embeddings of {@code prompts}, L2-normalised
     * @return per image, the rank of its own prompt (0 = first) among itself and the distractors
     */
    public static int[] ranks(
            float[][] images, List<String> prompts, float[][] promptEmbeddings, int distractors, long seed) {
        if (images.length != prompts.size() || prompts.size() != promptEmbeddings.length) {
            throw new IllegalArgumentException("need one prompt and one prompt embedding per image");
        }
        // One embedding per distinct prompt text: the pool the distractors come from.
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            distinct.putIfAbsent(prompts.get(i), i);
        }
        List<Integer> pool = new ArrayList<>(distinct.values());
        if (pool.size() <= distractors) {
            throw new IllegalArgumentException("R-precision with " + distractors + " distractors needs at least "
                    + (distractors + 1) + " distinct prompts, got " + pool.size());
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] ranks = new int[images.length];
        int[] chosen = new int[distractors];
        for (int i = 0; i < images.length; i++) {
            int own = distinct.get(prompts.get(i));
            // Partial Fisher-Yates over a copy: distractors distinct from each other and from the own prompt.
            int[] order = pool.stream()
                    .mapToInt(Integer::intValue)
                    .filter(p -> p != own)
                    .toArray();
            for (int k = 0; k < distractors; k++) {
                int pick = k + random.nextInt(order.length - k);
                int swap = order[k];
                order[k] = order[pick];
                order[pick] = swap;
                chosen[k] = order[k];
            }
            double ownScore = Retrieval.dot(images[i], promptEmbeddings[own]);
            int better = 0;
            for (int k = 0; k < distractors; k++) {
                if (Retrieval.dot(images[i], promptEmbeddings[chosen[k]]) >= ownScore) {
                    better++;
                }
            }
            ranks[i] = better;
        }
        return ranks;
    }

    /** Share of ranks below {@code k}: R@k. */
    public static double recallAt(int[] ranks, int k) {
        int hits = 0;
        for (int rank : ranks) {
            if (rank < k) {
                hits++;
            }
        }
        return (double) hits / ranks.length;
    }
}
