package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.model.tf.Tensors;
import dev.meadow.testing.TinyModels;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The CLIP-consistency term, with a real (tiny) Meadow CLIP whose embeddings have {@link CvaeFixtures#DIM}. */
@Tag("integration")
class CvaeClipConsistencyTest {

    private static final float WEIGHT = 500f;

    @Test
    void theTermJoinsTheLossAndTrainsEveryDecoderVariableButNoneOfTheClips() {
        CvaeData data = CvaeFixtures.synthData(8, 32, 3);
        TrainingSettings settings = CvaeFixtures.quick(1).withBatchSize(4).withClipWeight(WEIGHT);
        try (CvaeTrainer trainer = new CvaeTrainer(
                CvaePreset.TINY_32, CvaeFixtures.DIM, settings, TinyModels.get().clip())) {
            Map<String, float[]> before = trainer.trainableValues();
            assertThat(before.keySet()).noneMatch(name -> name.startsWith("frozen_clip"));
            Map<String, float[]> clipBefore = trainer.frozenClipValues();
            assertThat(clipBefore).isNotEmpty();

            LossBreakdown loss = trainer.trainEpoch(
                    data, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, ConditioningMode.IMAGE, 1, (step, steps, l) -> {});
            assertThat(loss.clipLoss()).isNotNull().isBetween(0.0, 2.0);
            assertThat(loss.total())
                    .isCloseTo(
                            loss.bce() + 0.5 * loss.kl() + 0.1 * loss.ssimLoss() + WEIGHT * loss.clipLoss(),
                            Offset.offset(1e-3 * loss.total()));
            Map<String, float[]> after = trainer.trainableValues();
            for (String variable : before.keySet()) {
                assertThat(Arrays.equals(before.get(variable), after.get(variable)))
                        .as("%s received a gradient", variable)
                        .isFalse();
            }
            assertStillFrozen(clipBefore, trainer.frozenClipValues());
            LossBreakdown validation = trainer.evaluate(data, new int[] {0, 1, 2}, ConditioningMode.IMAGE);
            assertThat(validation.clipLoss()).isNotNull().isBetween(0.0, 2.0);
        }
    }

    @Test
    void thePerceptualTermJoinsTheLossAloneAndTurnsTheDecoderButNoneOfTheClip() {
        CvaeData data = CvaeFixtures.synthData(4, 32, 3);
        int[] images = {0, 1, 2, 3};
        TrainingSettings paper = CvaeFixtures.quick(1).withBatchSize(4);
        Map<String, float[]> negligible;
        try (CvaeTrainer trainer = new CvaeTrainer(
                CvaePreset.TINY_32,
                CvaeFixtures.DIM,
                paper.withPerceptualWeight(1e-9f),
                TinyModels.get().clip())) {
            trainer.trainEpoch(data, images, ConditioningMode.IMAGE, 1, (s, n, l) -> {});
            negligible = trainer.trainableValues();
        }
        float weight = 1000f;
        try (CvaeTrainer trainer = new CvaeTrainer(
                CvaePreset.TINY_32,
                CvaeFixtures.DIM,
                paper.withPerceptualWeight(weight),
                TinyModels.get().clip())) {
            Map<String, float[]> clipBefore = trainer.frozenClipValues();
            assertThat(clipBefore).isNotEmpty();
            LossBreakdown loss = trainer.trainEpoch(data, images, ConditioningMode.IMAGE, 1, (s, n, l) -> {});
            assertThat(loss.clipLoss()).isNull();
            assertThat(loss.perceptualLoss()).isNotNull().isPositive();
            assertThat(loss.total())
                    .isCloseTo(
                            loss.bce() + 0.5 * loss.kl() + 0.1 * loss.ssimLoss() + weight * loss.perceptualLoss(),
                            Offset.offset(1e-3 * loss.total()));
            Map<String, float[]> weighted = trainer.trainableValues();
            double decoderChange = 0;
            for (String variable : negligible.keySet()) {
                if (variable.startsWith("decoder")) {
                    float[] a = negligible.get(variable);
                    float[] b = weighted.get(variable);
                    for (int i = 0; i < a.length; i++) {
                        decoderChange = Math.max(decoderChange, Math.abs(a[i] - b[i]));
                    }
                }
            }
            assertThat(decoderChange)
                    .as("the perceptual term turns decoder gradients")
                    .isGreaterThan(1e-3);
            assertStillFrozen(clipBefore, trainer.frozenClipValues());
            LossBreakdown validation = trainer.evaluate(data, new int[] {0, 1, 2}, ConditioningMode.IMAGE);
            assertThat(validation.perceptualLoss()).isNotNull().isPositive();
        }
    }

    @Test
    void theGraphSeesEveryViewTheHostDraws() {
        int n = 2;
        int side = 16;
        int channels = 3;
        float[] pixels = new float[n * side * side * channels];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        SplittableRandom random = new SplittableRandom(3);
        int mirrored = 0;
        int shiftedUnevenly = 0;
        try (Graph graph = new Graph();
                Session session = new Session(graph);
                TFloat32 input = Tensors.floats(pixels, n, side, side, channels)) {
            Ops tf = Ops.create(graph);
            var x = tf.placeholder(TFloat32.class);
            var r = tf.placeholder(TFloat32.class);
            var c = tf.placeholder(TFloat32.class);
            var out = ClipViews.apply(tf, x, r, c, side);
            for (int k = 0; k < 16; k++) {
                ClipViews view = ClipViews.random(random, side);
                boolean mirror = view.columns()[0] > view.columns()[side - 1];
                mirrored += mirror ? 1 : 0;
                int dy = view.rows()[side / 2] - side / 2;
                int dx = mirror ? side - 1 - view.columns()[side / 2] - side / 2 : view.columns()[side / 2] - side / 2;
                shiftedUnevenly += dx != dy ? 1 : 0;
                try (TFloat32 rows = Tensors.floats(view.rowMatrix(), side, side);
                        TFloat32 columns = Tensors.floats(view.columnMatrix(), side, side);
                        Result result = session.runner()
                                .feed(x, input)
                                .feed(r, rows)
                                .feed(c, columns)
                                .fetch(out)
                                .run()) {
                    float[] seen = Tensors.read((TFloat32) result.get(0));
                    for (int b = 0; b < n; b++) {
                        for (int y = 0; y < side; y++) {
                            for (int xx = 0; xx < side; xx++) {
                                for (int ch = 0; ch < channels; ch++) {
                                    int from =
                                            ((b * side + view.rows()[y]) * side + view.columns()[xx]) * channels + ch;
                                    int to = ((b * side + y) * side + xx) * channels + ch;
                                    assertThat(seen[to]).as("view %d", k).isEqualTo(pixels[from]);
                                }
                            }
                        }
                    }
                }
            }
        }
        // The draws covered mirrored views and shifts that differ between rows and columns.
        assertThat(mirrored).isBetween(1, 15);
        assertThat(shiftedUnevenly).isPositive();
    }

    @Test
    void aNegligibleWeightTrainsAsThePapersLossAndARealOneTurnsEncoderAndDecoder() {
        CvaeData data = CvaeFixtures.synthData(4, 32, 3);
        int[] images = {0, 1, 2, 3};
        TrainingSettings paper = CvaeFixtures.quick(1).withBatchSize(4);
        Map<String, float[]> papers = afterOneStep(data, images, paper);
        Map<String, float[]> negligible = afterOneStep(data, images, paper.withClipWeight(1e-9f));
        Map<String, float[]> weighted = afterOneStep(data, images, paper.withClipWeight(WEIGHT));
        assertThat(negligible.keySet()).isEqualTo(papers.keySet());
        double decoderChange = 0;
        double encoderChange = 0;
        for (String variable : papers.keySet()) {
            float[] expected = papers.get(variable);
            float[] actual = negligible.get(variable);
            float[] pulled = weighted.get(variable);
            for (int i = 0; i < expected.length; i++) {
                // Reconstructions, their batch statistics and the Adam step are the paper's.
                assertThat(actual[i]).as("%s[%d]", variable, i).isCloseTo(expected[i], Offset.offset(1e-5f));
                double change = Math.abs(pulled[i] - expected[i]);
                if (variable.startsWith("decoder")) {
                    decoderChange = Math.max(decoderChange, change);
                } else if (variable.startsWith("encoder")) {
                    encoderChange = Math.max(encoderChange, change);
                }
            }
        }
        // Adam's first step is about the learning rate (2e-3) in the gradient's direction: a term that turns some
        // gradients around moves those weights by twice that. It judges the reconstructions, so it reaches the
        // encoder through z too.
        assertThat(decoderChange).as("the CLIP term turns decoder gradients").isGreaterThan(1e-3);
        assertThat(encoderChange).as("the CLIP term turns encoder gradients").isGreaterThan(1e-3);
    }

    private static Map<String, float[]> afterOneStep(CvaeData data, int[] images, TrainingSettings settings) {
        try (CvaeTrainer trainer = new CvaeTrainer(
                CvaePreset.TINY_32, CvaeFixtures.DIM, settings, TinyModels.get().clip())) {
            LossBreakdown loss = trainer.trainEpoch(data, images, ConditioningMode.IMAGE, 1, (s, n, l) -> {});
            assertThat(loss.clipLoss() == null).isEqualTo(settings.clipWeight() == 0f);
            assertThat(trainer.frozenClipValues().isEmpty()).isEqualTo(settings.clipWeight() == 0f);
            return trainer.trainableValues();
        }
    }

    @Test
    void refusesAClipThatIsNotTheConditioningOne() {
        TrainingSettings settings = CvaeFixtures.quick(1).withClipWeight(WEIGHT);
        assertThatThrownBy(() -> new CvaeTrainer(
                        CvaePreset.TINY_32, 24, settings, TinyModels.get().clip()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not the conditioning CLIP");
        assertThatThrownBy(() -> new CvaeTrainer(CvaePreset.TINY_32, CvaeFixtures.DIM, settings, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs the conditioning CLIP");
    }

    @Test
    void aCheckpointDoesNotResumeUnderAnotherWeight(@TempDir Path work) {
        CvaeData data = CvaeFixtures.synthData(10, 32, 3);
        TrainingSettings plain = CvaeFixtures.quick(1).withBatchSize(4);
        CvaeTraining.train(
                data,
                new CvaeTraining.Spec(CvaePreset.TINY_32, ConditioningMode.IMAGE, plain, "clip", "synth"),
                work,
                new CvaeTraining.Listener() {});
        CvaeTraining.Spec weighted = new CvaeTraining.Spec(
                CvaePreset.TINY_32,
                ConditioningMode.IMAGE,
                plain.withEpochs(2).withClipWeight(WEIGHT),
                "clip",
                "synth",
                TinyModels.get().clip());
        assertThatThrownBy(() -> CvaeTraining.train(data, weighted, work, new CvaeTraining.Listener() {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("different training");
    }

    private static void assertStillFrozen(Map<String, float[]> before, Map<String, float[]> after) {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String variable : before.keySet()) {
            assertThat(after.get(variable)).as("%s stays frozen", variable).containsExactly(before.get(variable));
        }
    }
}
