package dev.meadow.model.clip;

/** Retrieval metrics over L2-normalised embeddings, where query {@code i} belongs with candidate {@code i}. */
public final class Retrieval {

    private Retrieval() {}

    /** Fraction of queries whose own candidate is among the {@code k} most similar (cosine) candidates. */
    public static double recallAtK(float[][] queries, float[][] candidates, int k) {
        if (queries.length != candidates.length) {
            throw new IllegalArgumentException("queries and candidates must pair up one to one");
        }
        int hits = 0;
        for (int i = 0; i < queries.length; i++) {
            if (rankOf(queries[i], candidates, i) < k) {
                hits++;
            }
        }
        return (double) hits / queries.length;
    }

    /** How many candidates are strictly more similar to {@code query} than candidate {@code target} (0 = first). */
    public static int rankOf(float[] query, float[][] candidates, int target) {
        double own = dot(query, candidates[target]);
        int better = 0;
        for (int j = 0; j < candidates.length; j++) {
            if (j != target && dot(query, candidates[j]) > own) {
                better++;
            }
        }
        return better;
    }

    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
