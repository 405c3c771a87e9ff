package dev.meadow.model.cvae;

import java.util.SplittableRandom;

import dev.meadow.image.ImageArrays;
import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.SceneRenderer;

/** Small real training data: Pastoral-Synth renders with random unit vectors standing in for CLIP embeddings. */
final class CvaeFixtures {

    static final int DIM = 16;

    private CvaeFixtures() {}

    static CvaeData synthData(int count, int size, long seed) {
        float[] pixels = new float[count * size * size * 3];
        for (int i = 0; i < count; i++) {
            ImageArrays.toFloats(SceneRenderer.render(PastoralSynth.scene(seed, i), size), pixels, i * size * size * 3);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] images = unitVectors(count, r);
        float[] captions = unitVectors(count * 2, r);
        int[] owner = new int[count * 2];
        for (int c = 0; c < owner.length; c++) {
            owner[c] = c / 2;
        }
        return new CvaeData(size, count, pixels, DIM, images, captions, owner);
    }

    static float[] unitVectors(int n, SplittableRandom r) {
        return ConditionSource.unitRows(n, DIM, r);
    }

    static TrainingSettings quick(int epochs) {
        return TrainingSettings.defaults()
                .withEpochs(epochs)
                .withBatchSize(8)
                .withSeed(7)
                .withThreads(2)
                .withLearningRate(2e-3f);
    }
}
