package dev.meadow.model.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.meadow.model.tf.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class SceneJudgeGraphTest {

    private static final List<SceneJudge.Head> HEADS = List.of(
            new SceneJudge.Head("barn", List.of("false", "true")),
            new SceneJudge.Head("animalKind", List.of("cow", "sheep", "horse", "alpaca")));

    /**
     * A head that does not apply to a picture (label -1) must not learn from it: softmax cross-entropy's gradient is
     * softmax - labels, so without a mask a row of zeros would still pull that head's logits on every step, and a
     * judge trained so never learnt its other heads.
     */
    @Test
    void aHeadLearnsNothingFromPicturesItDoesNotApplyTo() {
        try (SceneJudgeGraph graph = new SceneJudgeGraph(16, HEADS, 3, true);
                Session session = new Session(graph.graph)) {
            session.initialize();
            float[] before = bias(session);
            float[] pixels = new float[4 * 16 * 16 * 3];
            SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble();
            }
            try (TFloat32 x = Tensors.floats(pixels, 4, 16, 16, 3);
                    TInt32 barn = TInt32.vectorOf(0, 1, 0, 1);
                    TInt32 kind = TInt32.vectorOf(-1, -1, -1, -1);
                    TFloat32 rate = TFloat32.scalarOf(0.01f)) {
                session.runner()
                        .feed(graph.pixels, x)
                        .feed(graph.labels.get(0), barn)
                        .feed(graph.labels.get(1), kind)
                        .feed(graph.learningRate, rate)
                        .addTarget(graph.trainStep)
                        .run()
                        .close();
            }
            float[] after = bias(session);
            assertThat(Arrays.copyOfRange(after, 0, 2)).isNotEqualTo(Arrays.copyOfRange(before, 0, 2));
            assertThat(Arrays.copyOfRange(after, 2, 6)).containsExactly(Arrays.copyOfRange(before, 2, 6));
        }
    }

    private static float[] bias(Session session) {
        try (Result result = session.runner().fetch("judge/heads/bias").run()) {
            return Tensors.read((TFloat32) result.get(0));
        }
    }
}
