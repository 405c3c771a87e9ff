package dev.meadow.model.prior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import dev.meadow.model.InvalidModelException;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.Sampling;
import dev.meadow.testing.TinyModels;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real prior, trained by Meadow's code on a tiny set of pairs, drawing for the tiny decoder. */
@Tag("integration")
class PriorTest {

    private static final int DIM = 16;

    @TempDir
    static Path dir;

    private static Path prior;

    /**
     * Two kinds of picture per caption: each caption's image embedding is one of two directions near its text
     * embedding, so a prior has something to learn and two seeds something to tell apart.
     */
    @BeforeAll
    static void train() {
        SplittableRandom random = new SplittableRandom(5);
        int images = 600;
        float[] imageEmbeddings = new float[images * DIM];
        float[] captionEmbeddings = new float[images * DIM];
        int[] owners = new int[images];
        for (int i = 0; i < images; i++) {
            float[] text = unitGaussian(random);
            float[] offset = unitGaussian(new SplittableRandom(i % 2));
            for (int k = 0; k < DIM; k++) {
                captionEmbeddings[i * DIM + k] = text[k];
                imageEmbeddings[i * DIM + k] = text[k] + 0.6f * offset[k] * (random.nextBoolean() ? 1 : -1);
            }
            owners[i] = i;
        }
        prior = dir.resolve("prior");
        PriorTraining.Settings settings = new PriorTraining.Settings(6, 64, 1e-3f, 5, 32, 1, 8, 0.1, 3, 1);
        PriorCard card = PriorTraining.train(
                new PriorTraining.Pairs(DIM, images, imageEmbeddings, captionEmbeddings, owners),
                settings,
                "prior-tiny-test",
                TinyModels.CLIP_ID,
                "tiny",
                prior,
                new PriorTraining.Listener() {});
        assertThat(card.history()).hasSize(6);
        assertThat(card.validation().drawSpread()).isPositive();
    }

    @Test
    void aSeedRedrawsItsEmbeddingWhateverItIsBatchedWith() {
        try (Prior p = Prior.load(prior)) {
            SplittableRandom random = new SplittableRandom(9);
            float[][] texts = new float[70][];
            long[] seeds = new long[70];
            for (int i = 0; i < 70; i++) {
                texts[i] = unitGaussian(random);
                seeds[i] = 1000 + i;
            }
            float[][] all = p.draw(texts, seeds);
            float[][] tail = p.draw(Arrays.copyOfRange(texts, 66, 70), Arrays.copyOfRange(seeds, 66, 70));
            for (int i = 0; i < 4; i++) {
                assertThat(tail[i]).containsExactly(all[66 + i]);
            }
            double norm = 0;
            for (float v : all[0]) {
                norm += v * v;
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
            float[][] otherSeed = p.draw(new float[][] {texts[0]}, new long[] {7});
            assertThat(otherSeed[0]).isNotEqualTo(all[0]);
        }
    }

    @Test
    void skippingThePriorDrawsAsTheDecoderDoesWithoutOnePixelForPixel() {
        TinyModels models = TinyModels.get();
        try (Decoder decoder = Decoder.load(models.decoder());
                Prior p = Prior.load(prior)) {
            float[] conditions = new float[3 * DIM];
            SplittableRandom random = new SplittableRandom(4);
            for (int i = 0; i < 3; i++) {
                System.arraycopy(unitGaussian(random), 0, conditions, i * DIM, DIM);
            }
            long[] seeds = {1, 2, 3};
            float[] without = decoder.decode(conditions, seeds);
            float[] drawn;
            Decoder withPrior = decoder.withPrior(p);
            try {
                assertThat(withPrior.decode(
                                conditions, seeds, withPrior.sampling().withPrior(false)))
                        .containsExactly(without);
                drawn = withPrior.decode(conditions, seeds);
                assertThat(drawn).isNotEqualTo(without);
            } finally {
                withPrior.close();
            }
            // Closing the view closed neither the decoder nor the prior it shared: both still draw.
            float[][] rows = {
                Arrays.copyOfRange(conditions, 0, DIM),
                Arrays.copyOfRange(conditions, DIM, 2 * DIM),
                Arrays.copyOfRange(conditions, 2 * DIM, 3 * DIM)
            };
            float[][] embeddings = p.draw(rows, seeds);
            float[] flat = new float[3 * DIM];
            for (int i = 0; i < 3; i++) {
                System.arraycopy(embeddings[i], 0, flat, i * DIM, DIM);
            }
            // The prior's draw is the condition the decoder is given, with the picture's own seed.
            assertThat(drawn).containsExactly(decoder.decode(flat, seeds, Sampling.PLAIN));
            assertThat(decoder.decode(conditions, seeds)).containsExactly(without);
        }
    }

    @Test
    void aPriorOfAnotherClipOrATamperedOneIsRefused(@TempDir Path scratch) throws IOException {
        TinyModels models = TinyModels.get();
        try (Decoder other = Decoder.load(models.decoderCopyFor("cvae-other-clip", "another-clip"));
                Prior p = Prior.load(prior)) {
            assertThatThrownBy(() -> other.withPrior(p))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("draws embeddings of CLIP " + TinyModels.CLIP_ID);
        }
        Path copy = scratch.resolve("prior");
        PathUtils.copyDirectory(prior, copy);
        Path variables = copy.resolve("variables/variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(variables);
        bytes[bytes.length / 2] ^= 1;
        Files.write(variables, bytes);
        assertThatThrownBy(() -> Prior.load(copy))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("does not match its checksum");
        assertThatThrownBy(() -> Prior.load(models.decoder()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a Meadow prior");
    }

    private static float[] unitGaussian(SplittableRandom random) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int k = 0; k < DIM; k++) {
            double u1 = 1.0 - random.nextDouble();
            v[k] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble()));
            norm += v[k] * v[k];
        }
        for (int k = 0; k < DIM; k++) {
            v[k] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
