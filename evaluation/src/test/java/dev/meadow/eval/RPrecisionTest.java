package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RPrecisionTest {

    private static final int N = 1000;

    @Test
    void perfectRetrievalGivesOne() {
        float[][] prompts = unitVectors(N, 64, 1);
        int[] ranks = RPrecision.ranks(prompts, names(N), prompts, 99, 7);
        assertThat(RPrecision.recallAt(ranks, 1)).isEqualTo(1.0);
    }

    @Test
    void shuffledCaptionsScoreAboutChance() {
        float[][] prompts = unitVectors(N, 64, 2);
        List<Integer> permutation = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            permutation.add(i);
        }
        Collections.shuffle(permutation, new Random(3));
        float[][] images = new float[N][];
        for (int i = 0; i < N; i++) {
            images[i] = prompts[permutation.get(i)];
        }
        double r1 = RPrecision.recallAt(RPrecision.ranks(images, names(N), prompts, 99, 7), 1);
        // Chance is 1/100; with 1000 images the estimate stays well within 0.0 .. 0.03.
        assertThat(r1).isCloseTo(0.01, within(0.02));
    }

    @Test
    void duplicatePromptTextsAreNeverDistractors() {
        // Two images share one prompt text; each must still find it first.
        float[][] prompts = unitVectors(200, 32, 4);
        List<String> names = new ArrayList<>(names(200));
        names.set(1, names.get(0));
        prompts[1] = prompts[0];
        int[] ranks = RPrecision.ranks(prompts, names, prompts, 99, 5);
        assertThat(ranks[0]).isZero();
        assertThat(ranks[1]).isZero();
    }

    @Test
    void rankCountsTheDistractorsThatScoreHigher() {
        // The image points between its own prompt and the opposite; half of the pool beats it on average.
        float[][] prompts = unitVectors(500, 16, 6);
        float[][] images = new float[500][];
        for (int i = 0; i < 500; i++) {
            images[i] = new float[16];
            for (int j = 0; j < 16; j++) {
                images[i][j] = -prompts[i][j];
            }
        }
        int[] ranks = RPrecision.ranks(images, names(500), prompts, 99, 8);
        // Anti-aligned with its own prompt: every distractor scores higher.
        assertThat(ranks).containsOnly(99);
        assertThat(RPrecision.recallAt(ranks, 100)).isEqualTo(1.0);
    }

    @Test
    void refusesAPoolTooSmallForTheDistractors() {
        float[][] prompts = unitVectors(50, 8, 9);
        assertThatThrownBy(() -> RPrecision.ranks(prompts, names(50), prompts, 99, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 100 distinct prompts");
    }

    @Test
    void clipScoreOfMatchingAndOpposingEmbeddings() {
        float[][] prompts = unitVectors(10, 8, 10);
        assertThat(ClipScore.of(prompts, prompts).meanCosine()).isCloseTo(1.0, within(1e-6));
        assertThat(ClipScore.of(prompts, prompts).clipScore()).isCloseTo(2.5, within(1e-6));
        float[][] opposite = new float[10][8];
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 8; j++) {
                opposite[i][j] = -prompts[i][j];
            }
        }
        ClipScore score = ClipScore.of(opposite, prompts);
        assertThat(score.meanCosine()).isCloseTo(-1.0, within(1e-6));
        assertThat(score.clipScore()).isZero();
    }

    static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("prompt " + i);
        }
        return names;
    }

    static float[][] unitVectors(int n, int d, long seed) {
        float[][] out = FrechetDistanceTest.gaussian(n, d, 0, 1, seed);
        for (float[] row : out) {
            double norm = 0;
            for (float v : row) {
                norm += v * v;
            }
            for (int j = 0; j < d; j++) {
                row[j] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }
}
