package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.meadow.image.ImageArrays;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class ClipRerankerTest {

    private static final List<String> PROMPTS = List.of(
            "sheep on green grass under a blue sky",
            "cows in a snowy field at night",
            "a barn and mountains at sunset",
            "a pastoral landscape",
            "grey sky over brown soil");

    private static Decoder decoder;
    private static ClipModel clip;
    private static ClipReranker reranker;
    private static float[][] prompts;

    @BeforeAll
    static void load() {
        decoder = Decoder.load(TinyModels.get().decoder());
        clip = ClipModel.load(TinyModels.get().clip());
        reranker = new ClipReranker(decoder, clip);
        prompts = clip.encodeText(PROMPTS);
    }

    @AfterAll
    static void close() {
        decoder.close();
        clip.close();
    }

    @Test
    void oneCandidateIsPlainDecoding() {
        long[] seeds = {3, 4, 5, 6, 7};
        List<ClipReranker.Choice> choices = reranker.decode(prompts, seeds, Sampling.PLAIN, 1);
        List<BufferedImage> plain = decoder.decodeImages(prompts, seeds);
        for (int i = 0; i < seeds.length; i++) {
            assertThat(choices.get(i).seed()).isEqualTo(seeds[i]);
            assertThat(choices.get(i).candidate()).isZero();
            assertThat(pixels(choices.get(i).image())).containsExactly(pixels(plain.get(i)));
        }
    }

    @Test
    void keepsTheCandidateClipFindsClosestAndItsSeedReproducesIt() {
        int candidates = 6;
        long[] seeds = {10, 11, 12, 13, 14};
        List<ClipReranker.Choice> choices = reranker.decode(prompts, seeds, Sampling.PLAIN, candidates);
        for (int p = 0; p < seeds.length; p++) {
            // Score every candidate on its own, the long way.
            float[][] conditions = new float[candidates][];
            long[] candidateSeeds = new long[candidates];
            for (int c = 0; c < candidates; c++) {
                conditions[c] = prompts[p];
                candidateSeeds[c] = ClipReranker.candidateSeed(seeds[p], c);
            }
            float[][] embedded = clip.encodeImages(decoder.decodeImages(conditions, candidateSeeds));
            int best = 0;
            double[] cosines = new double[candidates];
            for (int c = 0; c < candidates; c++) {
                for (int k = 0; k < embedded[c].length; k++) {
                    cosines[c] += (double) embedded[c][k] * prompts[p][k];
                }
                if (cosines[c] > cosines[best]) {
                    best = c;
                }
            }
            ClipReranker.Choice choice = choices.get(p);
            assertThat(choice.candidate()).as("prompt %d", p).isEqualTo(best);
            assertThat(choice.seed()).isEqualTo(candidateSeeds[best]);
            assertThat(choice.cosine()).isCloseTo(cosines[best], org.assertj.core.data.Offset.offset(1e-5));
            for (double cosine : cosines) {
                assertThat(choice.cosine()).isGreaterThanOrEqualTo(cosine - 1e-6);
            }
            BufferedImage alone = decoder.decodeImages(new float[][] {prompts[p]}, new long[] {choice.seed()})
                    .get(0);
            assertThat(pixels(choice.image())).containsExactly(pixels(alone));
        }
    }

    @Test
    void withConditionNoiseTheKeptSeedAloneRedrawsItsCandidatesCondition() {
        try (Decoder noisy = Decoder.load(TinyModels.get().decoderCopyWithConditionNoise("cvae-noisy-rerank", 1.0))) {
            ClipReranker noisyReranker = new ClipReranker(noisy, clip);
            long[] seeds = {30, 31, 32, 33, 34};
            List<ClipReranker.Choice> choices = noisyReranker.decode(prompts, seeds, noisy.sampling(), 6);
            int unlikePlain = 0;
            for (int p = 0; p < seeds.length; p++) {
                ClipReranker.Choice choice = choices.get(p);
                long[] kept = {choice.seed()};
                BufferedImage alone =
                        noisy.decodeImages(new float[][] {prompts[p]}, kept).get(0);
                assertThat(pixels(choice.image())).as("prompt %d", p).containsExactly(pixels(alone));
                BufferedImage plain =
                        decoder.decodeImages(new float[][] {prompts[p]}, kept).get(0);
                if (!java.util.Arrays.equals(pixels(plain), pixels(alone))) {
                    unlikePlain++;
                }
            }
            assertThat(unlikePlain).isEqualTo(seeds.length);
        }
    }

    @Test
    void manyCandidatesSpanSeveralDecoderRunsWithTheSameResult() {
        long[] seeds = {20, 21, 22, 23, 24};
        // 64 candidates: four prompts fill one run, the fifth needs another.
        List<ClipReranker.Choice> together = reranker.decode(prompts, seeds, Sampling.PLAIN.withTemperature(0.8f), 64);
        for (int p = 0; p < seeds.length; p++) {
            ClipReranker.Choice alone = reranker.decode(
                            new float[][] {prompts[p]}, new long[] {seeds[p]}, Sampling.PLAIN.withTemperature(0.8f), 64)
                    .get(0);
            assertThat(together.get(p).seed()).isEqualTo(alone.seed());
            assertThat(pixels(together.get(p).image())).containsExactly(pixels(alone.image()));
        }
    }

    @Test
    void candidateSeedsStartWithTheRequestSeedAndNeverRepeat() {
        Set<Long> seen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            assertThat(ClipReranker.candidateSeed(seed, 0)).isEqualTo(seed);
            for (int c = 1; c < ClipReranker.MAX_CANDIDATES; c++) {
                assertThat(seen.add(ClipReranker.candidateSeed(seed, c)))
                        .as("seed %d candidate %d", seed, c)
                        .isTrue();
            }
        }
        assertThat(seen)
                .doesNotContainAnyElementsOf(
                        java.util.stream.LongStream.range(0, 200).boxed().toList());
    }

    @Test
    void refusesBadArguments() {
        long[] seeds = {1, 2, 3, 4, 5};
        assertThatThrownBy(() -> reranker.decode(prompts, seeds, Sampling.PLAIN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidates");
        assertThatThrownBy(() -> reranker.decode(prompts, seeds, Sampling.PLAIN, ClipReranker.MAX_CANDIDATES + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidates");
        assertThatThrownBy(() -> reranker.decode(prompts, new long[] {1}, Sampling.PLAIN, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one seed per prompt");
    }

    private static float[] pixels(BufferedImage image) {
        return ImageArrays.toFloats(image);
    }
}
