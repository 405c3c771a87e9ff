package dev.meadow.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meadow.contracts.Towards;
import org.junit.jupiter.api.Test;

class GenerationMetadataTest {

    @Test
    void conditionNoiseIsWrittenOnlyWhenThePictureWasDrawnWithSome() {
        GenerationMetadata noisy = new GenerationMetadata(
                "white sheep", 7, 64, 64, "cvae-v6", "clip-v1", "image", "job-1", new Towards("cows", 0.5), 0.25, null);
        assertThat(noisy.textChunks())
                .containsEntry("condition_noise", "0.2500")
                .containsEntry("towards_weight", "0.5000");
        assertThat(noisy.a1111Parameters())
                .isEqualTo("white sheep\nSteps: 1, Sampler: CVAE decoder, Seed: 7, Size: 64x64, Model: cvae-v6,"
                        + " CLIP: clip-v1, Conditioning: image, Version: Meadow, Towards: cows, Towards weight: 0.5000,"
                        + " Condition noise: 0.2500");

        for (Double none : new Double[] {null, 0.0}) {
            GenerationMetadata plain = new GenerationMetadata(
                    "white sheep", 7, 64, 64, "cvae-v6", "clip-v1", "image", null, null, none, null);
            assertThat(plain.textChunks()).doesNotContainKey("condition_noise");
            assertThat(plain.a1111Parameters())
                    .doesNotContain("Condition noise")
                    .endsWith("Version: Meadow");
        }
    }
}
