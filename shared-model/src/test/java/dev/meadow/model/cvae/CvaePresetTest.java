package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.LossBreakdown;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("integration")
class CvaePresetTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"tiny-32", "small-64", "small-64-even", "small-64-resize", "small-128", "paper-64", "paper-128"})
    void oneStepProducesFiniteLossesAndUpdatesEveryTrainableVariable(String name) {
        CvaePreset preset = CvaePreset.named(name);
        int size = preset.imageSize();
        CvaeData data = CvaeFixtures.synthData(2, size, 3);
        try (CvaeTrainer trainer =
                new CvaeTrainer(preset, CvaeFixtures.DIM, CvaeFixtures.quick(1).withBatchSize(2))) {
            Map<String, float[]> before = trainer.trainableValues();
            LossBreakdown loss =
                    trainer.trainEpoch(data, new int[] {0, 1}, ConditioningMode.IMAGE, 1, (step, steps, l) -> {});
            assertThat(loss.total()).isFinite().isPositive();
            assertThat(loss.bce())
                    .as("BCE is summed over %d pixel values", size * size * 3)
                    .isGreaterThan(0.1 * size * size * 3);
            assertThat(loss.kl()).isFinite().isNotNegative();
            assertThat(loss.ssimLoss()).isBetween(0.0, 2.0);
            assertThat(loss.total())
                    .isCloseTo(
                            loss.bce() + 0.5 * loss.kl() + 0.1 * loss.ssimLoss(),
                            org.assertj.core.data.Offset.offset(1e-2 * loss.total()));
            Map<String, float[]> after = trainer.trainableValues();
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (String variable : before.keySet()) {
                assertThat(Arrays.equals(before.get(variable), after.get(variable)))
                        .as("%s received a gradient", variable)
                        .isFalse();
            }
        }
    }

    @Test
    void theKlWeightIsTheOneTheSettingsName() {
        CvaeData data = CvaeFixtures.synthData(2, 32, 3);
        try (CvaeTrainer trainer = new CvaeTrainer(
                CvaePreset.named("tiny-32"),
                CvaeFixtures.DIM,
                CvaeFixtures.quick(1).withBatchSize(2).withKlWeight(0.05f))) {
            LossBreakdown loss =
                    trainer.trainEpoch(data, new int[] {0, 1}, ConditioningMode.IMAGE, 1, (step, steps, l) -> {});
            // Large enough that the paper's weight would give another total than the tolerance allows.
            assertThat(0.45 * loss.kl()).isGreaterThan(1e-4 * loss.total());
            assertThat(loss.total())
                    .isCloseTo(
                            loss.bce() + 0.05 * loss.kl() + 0.1 * loss.ssimLoss(),
                            org.assertj.core.data.Offset.offset(1e-5 * loss.total()));
        }
    }

    @Test
    void paperPresetsHaveThePapersShape() {
        CvaePreset paper = CvaePreset.PAPER_64;
        assertThat(paper.encoderFilters()).containsExactly(256, 256, 128, 128);
        assertThat(paper.encoderDense()).containsExactly(2048, 2048, 1024);
        assertThat(paper.latentDim()).isEqualTo(128);
        assertThat(paper.conditionProjection()).isEqualTo(32);
        assertThat(paper.decoderStartSize() * paper.decoderStartSize() * paper.decoderStartChannels())
                .isEqualTo(16384);
        assertThat(paper.decoderFilters()).containsExactly(256, 256, 128, 128, 32);
        assertThat(CvaePreset.PAPER_128.decoderStrides()).containsExactly(2, 2, 2, 1, 2);
        long encoder = 3 * 3 * 3 * 256
                + 5 * 5 * 256 * 256
                + 3 * 3 * 256 * 128
                + 3 * 3 * 128 * 128
                + 2 * (256 + 256 + 128 + 128) // conv kernels, BN scale and shift
                + (2048 + 512) * 2048
                + 2048 * 2048
                + 2048 * 1024
                + 2 * (2048 + 2048 + 1024) // dense on [x, c]
                + 2 * (1024 * 128 + 128); // mu and log-variance
        long decoder = 512 * 32
                + 32 // Dense(32)(condition)
                + (128 + 32) * 16384
                + 2 * 16384 // dense 16384 + BN
                + 3 * 3 * 256 * 256
                + 5 * 5 * 256 * 256
                + 5 * 5 * 256 * 128
                + 3 * 3 * 128 * 128
                + 5 * 5 * 128 * 32
                + 2 * (256 + 256 + 128 + 128 + 32)
                + 5 * 5 * 32 * 3
                + 3; // 5x5 conv to RGB
        try (CvaeTrainer trainer = new CvaeTrainer(paper, 512, CvaeFixtures.quick(1))) {
            // With OpenAI CLIP's 512-dimensional embeddings.
            assertThat(trainer.trainableParameters())
                    .isEqualTo(encoder + decoder)
                    .isEqualTo(19_868_099L);
        }
    }

    @Test
    void unknownPresetsAreNamedWithTheAlternatives() {
        assertThatThrownBy(() -> CvaePreset.named("huge-512"))
                .hasMessageContaining("unknown preset 'huge-512'")
                .hasMessageContaining("small-64");
    }

    @Test
    void tinyModelOverfitsAFixedBatch() {
        CvaeData data = CvaeFixtures.synthData(8, 32, 11);
        int[] all = IntStream.range(0, 8).toArray();
        try (CvaeTrainer trainer = new CvaeTrainer(
                CvaePreset.TINY_32, CvaeFixtures.DIM, CvaeFixtures.quick(1).withLatentDropout(0f))) {
            double first = trainer.trainEpoch(data, all, ConditioningMode.IMAGE, 1, (s, n, l) -> {})
                    .total();
            double last = first;
            for (int epoch = 2; epoch <= 60; epoch++) {
                last = trainer.trainEpoch(data, all, ConditioningMode.IMAGE, epoch, (s, n, l) -> {})
                        .total();
            }
            assertThat(last).as("loss after 60 steps on one batch").isLessThan(first * 0.85);
        }
    }

    @Test
    void decoderFlopsCountEveryMultiplyAddOfTheDecoder() {
        // small-64 by hand: condition 256x32, dense 160x(8x8x64), transposed convolutions 8²·64·3²·64, 16²·64·5²·32,
        // 32²·32·5²·32, 64²·32·3²·16, 64²·16·5²·16, output 64²·5²·16·3; two operations per multiply-add.
        long macs = 256L * 32
                + 160L * 8 * 8 * 64
                + 64L * 64 * 9 * 64
                + 256L * 64 * 25 * 32
                + 1024L * 32 * 25 * 32
                + 4096L * 32 * 9 * 16
                + 4096L * 16 * 25 * 16
                + 4096L * 25 * 16 * 3;
        assertThat(CvaePreset.SMALL_64.decoderFlopsPerImage(256)).isEqualTo(2 * macs);
        assertThat(CvaePreset.SMALL_64.decoderFlopsPerImage(256) / 1e6).isBetween(184.0, 186.0);
        // Even kernels cost no more than the paper's 3 and 5.
        assertThat(CvaePreset.SMALL_64_EVEN.decoderFlopsPerImage(256))
                .isLessThan(CvaePreset.SMALL_64.decoderFlopsPerImage(256));
        // Resize-then-convolve layers run their kernels at the output's resolution.
        long resizeMacs = 256L * 32
                + 160L * 8 * 8 * 64
                + 256L * 64 * 9 * 64
                + 1024L * 64 * 9 * 32
                + 4096L * 32 * 9 * 24
                + 4096L * 24 * 9 * 16
                + 4096L * 16 * 9 * 16
                + 4096L * 25 * 16 * 3;
        assertThat(CvaePreset.SMALL_64_RESIZE.decoderFlopsPerImage(256)).isEqualTo(2 * resizeMacs);
        assertThat(CvaePreset.SMALL_64_RESIZE.decoderFlopsPerImage(256))
                .isLessThan(CvaePreset.SMALL_64.decoderFlopsPerImage(256));
        assertThat(CvaePreset.PAPER_128.decoderFlopsPerImage(256))
                .isGreaterThan(CvaePreset.PAPER_64.decoderFlopsPerImage(256));
    }
}
