package dev.meadow.model.cvae;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.Retrieval;

/**
 * Best of N, as DALL·E reranked its samples: decodes several seeds per prompt and keeps the picture whose CLIP
 * image embedding is closest to the prompt's text embedding. The kept picture's seed alone reproduces it: the
 * decoder draws both its latent and its condition noise from that seed.
 */
public final class ClipReranker {

    public static final int MAX_CANDIDATES = GenerationRequest.MAX_CANDIDATES;

    /** Pictures decoded at once; bounds memory whatever the number of prompts and candidates. */
    private static final int RUN = 256;

    /**
     * @param seed the seed of the kept picture (its latent and its condition noise) ({@link #candidateSeed} of the request's seed)
     * @param candidate which candidate won, 0 being the request's own seed
     * @param cosine between the picture's and the prompt's CLIP embeddings; NaN with one candidate, which is not scored
     */
    public record Choice(BufferedImage image, long seed, int candidate, double cosine) {}

    private final Decoder decoder;
    private final ClipModel clip;

    /** @param clip the CLIP model whose text embeddings condition {@code decoder} */
    public ClipReranker(Decoder decoder, ClipModel clip) {
        if (decoder.conditionDim() != clip.dimension()) {
            throw new IllegalArgumentException("decoder " + decoder.card().modelId() + " takes "
                    + decoder.conditionDim() + "-dimensional conditions, CLIP " + clip.modelId() + " makes "
                    + clip.dimension());
        }
        this.decoder = decoder;
        this.clip = clip;
    }

    /**
     * Seed of candidate {@code candidate} of a request drawn with {@code seed}: candidate 0 is the seed itself, so
     * one candidate is plain decoding; the others are spread by SplitMix64 so that nearby request seeds share none.
     */
    public static long candidateSeed(long seed, int candidate) {
        if (candidate == 0) {
            return seed;
        }
        long z = seed + candidate * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param prompts the prompts' text embeddings from this reranker's CLIP, which also condition the decoder
     * @param seeds one request seed per prompt
     * @param candidates pictures drawn per prompt, 1 to {@link #MAX_CANDIDATES}
     */
    public List<Choice> decode(float[][] prompts, long[] seeds, Sampling sampling, int candidates) {
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                    "candidates must be between 1 and " + MAX_CANDIDATES + ", not " + candidates);
        }
        if (prompts.length != seeds.length) {
            throw new IllegalArgumentException(
                    "need one seed per prompt, got " + prompts.length + " and " + seeds.length);
        }
        List<Choice> chosen = new ArrayList<>(prompts.length);
        int promptsPerRun = Math.max(1, RUN / candidates);
        for (int start = 0; start < prompts.length; start += promptsPerRun) {
            int end = Math.min(prompts.length, start + promptsPerRun);
            int n = (end - start) * candidates;
            float[][] conditions = new float[n][];
            long[] candidateSeeds = new long[n];
            for (int p = start; p < end; p++) {
                for (int c = 0; c < candidates; c++) {
                    int row = (p - start) * candidates + c;
                    conditions[row] = prompts[p];
                    candidateSeeds[row] = candidateSeed(seeds[p], c);
                }
            }
            List<BufferedImage> images = decoder.decodeImages(conditions, candidateSeeds, sampling);
            if (candidates == 1) {
                for (int row = 0; row < n; row++) {
                    chosen.add(new Choice(images.get(row), candidateSeeds[row], 0, Double.NaN));
                }
                continue;
            }
            float[][] embedded = clip.encodeImages(images);
            for (int p = start; p < end; p++) {
                int first = (p - start) * candidates;
                int bestRow = first;
                // Both embeddings are L2-normalised, so the dot product is their cosine.
                double bestCosine = Retrieval.dot(embedded[first], prompts[p]);
                for (int row = first + 1; row < first + candidates; row++) {
                    double cosine = Retrieval.dot(embedded[row], prompts[p]);
                    if (cosine > bestCosine) {
                        bestCosine = cosine;
                        bestRow = row;
                    }
                }
                chosen.add(new Choice(images.get(bestRow), candidateSeeds[bestRow], bestRow - first, bestCosine));
            }
        }
        return chosen;
    }

    /** The chosen pictures alone. */
    public static List<BufferedImage> images(List<Choice> choices) {
        return choices.stream().map(Choice::image).toList();
    }
}
