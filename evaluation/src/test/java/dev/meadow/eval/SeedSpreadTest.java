package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import dev.meadow.contracts.EvalReport;
import org.junit.jupiter.api.Test;

class SeedSpreadTest {

    private static final int DIMENSIONS = 64;

    @Test
    void aDecoderThatIgnoresItsSeedSpreadsNothing() {
        Random random = new Random(1);
        float[][][] embeddings = new float[10][4][];
        for (int p = 0; p < 10; p++) {
            float[] picture = unit(random);
            for (int d = 0; d < 4; d++) {
                embeddings[p][d] = picture;
            }
        }
        EvalReport.Diversity spread = SeedSpread.of(embeddings);
        assertThat(spread.withinPrompts()).isCloseTo(0, within(1e-6));
        assertThat(spread.betweenPrompts()).isGreaterThan(0.5);
        assertThat(spread.seedSpread()).isCloseTo(0, within(1e-6));
    }

    @Test
    void seedsThatDrawAsDifferentlyAsPromptsSpreadAboutOne() {
        Random random = new Random(2);
        float[][][] embeddings = new float[40][4][];
        for (int p = 0; p < 40; p++) {
            for (int d = 0; d < 4; d++) {
                embeddings[p][d] = unit(random);
            }
        }
        assertThat(SeedSpread.of(embeddings).seedSpread()).isCloseTo(1, within(0.1));
    }

    @Test
    void halfwayBetweenIsInBetween() {
        Random random = new Random(3);
        float[][][] embeddings = new float[40][4][];
        for (int p = 0; p < 40; p++) {
            float[] prompt = unit(random);
            for (int d = 0; d < 4; d++) {
                embeddings[p][d] = normalise(add(prompt, unit(random)));
            }
        }
        assertThat(SeedSpread.of(embeddings).seedSpread()).isBetween(0.3, 0.7);
    }

    @Test
    void tooFewPromptsOrDrawsAreRefused() {
        Random random = new Random(4);
        assertThatThrownBy(() -> SeedSpread.of(new float[][][] {{unit(random), unit(random)}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two prompts");
        assertThatThrownBy(() -> SeedSpread.of(new float[][][] {{unit(random)}, {unit(random)}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two draws");
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    private static float[] add(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }
}
