package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import dev.meadow.model.InvalidModelException;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A decoder draws as its card says: the condition noise is the decoder's, drawn from each picture's own seed. */
@Tag("integration")
class DecoderSamplingTest {

    private static final double XI = 0.5;

    @Test
    void aDecoderDrawsWithItsCardsConditionNoiseFromEachPicturesSeed() {
        TinyModels models = TinyModels.get();
        try (Decoder plain = Decoder.load(models.decoder());
                Decoder noisy = Decoder.load(models.decoderCopyWithConditionNoise("cvae-noisy-sampling", XI))) {
            assertThat(plain.sampling()).isEqualTo(Sampling.PLAIN);
            assertThat(noisy.sampling()).isEqualTo(new Sampling(1f, (float) XI));
            int dim = plain.conditionDim();
            int n = 6;
            float[] conditions = CvaeFixtures.unitVectors(n, new SplittableRandom(8));
            // The same prompt twice: two seeds, two conditions.
            System.arraycopy(conditions, 0, conditions, dim, dim);
            long[] seeds = {100, 101, 102, 103, 104, 105};

            float[] drawn = noisy.decode(conditions, seeds);
            assertThat(drawn).containsExactly(plain.decode(conditions, seeds, noisy.sampling()));
            assertThat(noisy.decode(conditions, seeds, Sampling.PLAIN))
                    .containsExactly(plain.decode(conditions, seeds));

            // Exactly the plain decoder's picture of the condition ConditionNoise draws for that seed.
            float[] perturbed = new float[conditions.length];
            float[] z = new float[n * plain.card().latentDim()];
            for (int i = 0; i < n; i++) {
                float[] row = Arrays.copyOfRange(conditions, i * dim, (i + 1) * dim);
                System.arraycopy(ConditionNoise.perturb(row, (float) XI, seeds[i]), 0, perturbed, i * dim, dim);
                float[] latent = Decoder.latent(seeds[i], plain.card().latentDim());
                System.arraycopy(latent, 0, z, i * latent.length, latent.length);
            }
            assertThat(drawn).containsExactly(plain.decodeLatents(perturbed, z, n));
            assertThat(drawn).isNotEqualTo(plain.decode(conditions, seeds));

            // A picture depends on its condition and seed only: alone, it is drawn the same.
            int pixels = noisy.imageSize() * noisy.imageSize() * 3;
            for (int i : new int[] {0, 1, 5}) {
                float[] alone =
                        noisy.decode(Arrays.copyOfRange(conditions, i * dim, (i + 1) * dim), new long[] {seeds[i]});
                assertThat(alone).containsExactly(Arrays.copyOfRange(drawn, i * pixels, (i + 1) * pixels));
            }
        }
    }

    @Test
    void aCardWrittenBeforeConditionNoiseDrawsThePromptsOwnCondition() throws IOException {
        Path copy = TinyModels.get().decoderCopy("cvae-card-v1");
        Path card = copy.resolve(DecoderCard.FILE_NAME);
        var json = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.meadow.contracts.Json.mapper().readTree(card.toFile());
        assertThat(json.remove("conditionNoise")).isNotNull();
        dev.meadow.contracts.Json.mapper().writeValue(card.toFile(), json);
        assertThat(Files.readString(card)).doesNotContain("conditionNoise");
        try (Decoder old = Decoder.load(copy)) {
            assertThat(old.card().conditionNoise()).isZero();
            assertThat(old.sampling()).isEqualTo(Sampling.PLAIN);
        }
    }

    @Test
    void aCardWithConditionNoiseOutOfRangeIsRefused() throws IOException {
        Path copy = TinyModels.get().decoderCopyWithConditionNoise("cvae-noisy-broken", 7.5);
        assertThatThrownBy(() -> Decoder.load(copy))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model.json")
                .hasMessageContaining("condition noise must be between 0 and 4.0, not 7.5");
        assertThat(Files.readString(copy.resolve("model.json"))).contains("\"conditionNoise\" : 7.5");
    }
}
