package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.testing.TinyModels;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patch critic and the decoder's adversarial term, and warm starts into a loss with more terms. */
@Tag("integration")
class CvaeAdversarialTest {

    private static final float WEIGHT = 50f;
    private static final int[] IMAGES = {0, 1, 2, 3, 4, 5, 6, 7};

    @Test
    void theCriticTrainsBesideTheDecoderAndTwoRunsAgreeToTheBit() {
        CvaeData data = CvaeFixtures.synthData(8, 32, 3);
        TrainingSettings settings = CvaeFixtures.quick(1).withBatchSize(4).withAdversarialWeight(WEIGHT);
        Map<String, float[]> firstDecoder;
        Map<String, float[]> firstCritic;
        try (CvaeTrainer trainer = new CvaeTrainer(CvaePreset.TINY_32, CvaeFixtures.DIM, settings)) {
            Map<String, float[]> criticBefore = trainer.criticValues();
            assertThat(criticBefore)
                    .isNotEmpty()
                    .allSatisfy((name, v) -> assertThat(name).startsWith("critic/"));
            assertThat(trainer.trainableValues().keySet()).noneMatch(name -> name.startsWith("critic"));

            LossBreakdown loss = trainer.trainEpoch(data, IMAGES, ConditioningMode.IMAGE, 1, (s, n, l) -> {});
            assertThat(loss.clipLoss()).isNull();
            assertThat(loss.perceptualLoss()).isNull();
            assertThat(loss.adversarialLoss()).isNotNull().isPositive();
            // Near 2 ln 2 while neither side has learnt much; never part of the total.
            assertThat(loss.criticLoss()).isNotNull().isBetween(0.5, 3.0);
            assertThat(loss.total())
                    .isCloseTo(
                            loss.bce() + 0.5 * loss.kl() + 0.1 * loss.ssimLoss() + WEIGHT * loss.adversarialLoss(),
                            Offset.offset(1e-3 * loss.total()));
            firstCritic = trainer.criticValues();
            for (String variable : criticBefore.keySet()) {
                assertThat(Arrays.equals(criticBefore.get(variable), firstCritic.get(variable)))
                        .as("%s is trained", variable)
                        .isFalse();
            }
            firstDecoder = trainer.trainableValues();
            LossBreakdown validation = trainer.evaluate(data, new int[] {0, 1, 2}, ConditioningMode.IMAGE);
            assertThat(validation.adversarialLoss()).isNotNull().isPositive();
        }
        // The critic's step waits for the decoder's, whose gradients read the critic: the order is fixed.
        try (CvaeTrainer again = new CvaeTrainer(CvaePreset.TINY_32, CvaeFixtures.DIM, settings)) {
            again.trainEpoch(data, IMAGES, ConditioningMode.IMAGE, 1, (s, n, l) -> {});
            assertSame(again.trainableValues(), firstDecoder);
            assertSame(again.criticValues(), firstCritic);
        }
    }

    @Test
    void aWarmStartFromAPlainRunKeepsItsWeightsAndStartsTheCriticAndTowerFresh(@TempDir Path dir) {
        CvaeData data = CvaeFixtures.synthData(8, 32, 3);
        TrainingSettings plain = CvaeFixtures.quick(1).withBatchSize(4);
        Path prefix = dir.resolve("ckpt");
        Map<String, float[]> plainWeights;
        long step;
        try (CvaeTrainer source = new CvaeTrainer(CvaePreset.TINY_32, CvaeFixtures.DIM, plain)) {
            source.trainEpoch(data, IMAGES, ConditioningMode.IMAGE, 1, (s, n, l) -> {});
            source.save(prefix);
            plainWeights = source.trainableValues();
            step = source.globalStep();
        }
        TrainingSettings richer = plain.withAdversarialWeight(WEIGHT).withPerceptualWeight(100f);
        Map<String, float[]> freshCritic;
        Map<String, float[]> freshTower;
        try (CvaeTrainer fresh = new CvaeTrainer(
                CvaePreset.TINY_32, CvaeFixtures.DIM, richer, TinyModels.get().clip())) {
            freshCritic = fresh.criticValues();
            freshTower = fresh.frozenClipValues();
        }
        try (CvaeTrainer tuned = new CvaeTrainer(
                CvaePreset.TINY_32, CvaeFixtures.DIM, richer, TinyModels.get().clip())) {
            tuned.warmStart(prefix, step, plain);
            assertThat(tuned.globalStep()).isEqualTo(step);
            assertSame(tuned.trainableValues(), plainWeights);
            assertSame(tuned.criticValues(), freshCritic);
            assertSame(tuned.frozenClipValues(), freshTower);
            LossBreakdown loss = tuned.trainEpoch(data, IMAGES, ConditioningMode.IMAGE, 2, (s, n, l) -> {});
            assertThat(loss.adversarialLoss()).isNotNull();
            assertThat(loss.perceptualLoss()).isNotNull();
        }
    }

    private static void assertSame(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String variable : expected.keySet()) {
            assertThat(actual.get(variable)).as(variable).containsExactly(expected.get(variable));
        }
    }
}
