package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.image.ImageArrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class DecoderBatchInvarianceTest {

    @TempDir
    Path dir;

    @Test
    void anImageDependsOnItsConditionAndSeedOnlyNotOnItsBatch() {
        CvaeData data = CvaeFixtures.synthData(24, 32, 9);
        CvaeTraining.Spec spec = new CvaeTraining.Spec(
                CvaePreset.TINY_32, ConditioningMode.IMAGE, CvaeFixtures.quick(1), "clip-test", "synth");
        CvaeTraining.Outcome outcome =
                CvaeTraining.train(data, spec, dir.resolve("work"), new CvaeTraining.Listener() {});
        CvaeTraining.export(outcome, spec, CvaeFixtures.DIM, "tiny", dir.resolve("model"));

        int n = 64;
        float[] conditions = CvaeFixtures.unitVectors(n, new SplittableRandom(4));
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = 1000 + 7L * i;
        }
        try (Decoder decoder = Decoder.load(dir.resolve("model"))) {
            float[] full = decoder.decode(conditions, seeds);
            int stride = 32 * 32 * 3;
            for (int i : new int[] {0, 13, 63}) {
                float[] alone = decoder.decode(
                        java.util.Arrays.copyOfRange(conditions, i * CvaeFixtures.DIM, (i + 1) * CvaeFixtures.DIM),
                        new long[] {seeds[i]});
                float[] inFive = decoder.decode(fiveAround(conditions, i), fiveSeeds(seeds, i));
                assertThat(pixels(alone, 0))
                        .as("image %d alone vs in a batch of 64", i)
                        .isEqualTo(pixels(full, i * stride));
                assertThat(pixels(inFive, 2 * stride))
                        .as("image %d in a batch of 5", i)
                        .isEqualTo(pixels(full, i * stride));
            }
            List<BufferedImage> a = decoder.decodeImages(conditions, seeds);
            assertThat(a).hasSize(n);
        }
    }

    private static int[] pixels(float[] images, int offset) {
        BufferedImage image = ImageArrays.fromFloats(images, offset, 32, 32);
        return image.getRGB(0, 0, 32, 32, null, 0, 32);
    }

    private static float[] fiveAround(float[] conditions, int i) {
        float[] out = new float[5 * CvaeFixtures.DIM];
        for (int k = 0; k < 5; k++) {
            int source = k == 2 ? i : (i + 17 * (k + 1)) % 64;
            System.arraycopy(conditions, source * CvaeFixtures.DIM, out, k * CvaeFixtures.DIM, CvaeFixtures.DIM);
        }
        return out;
    }

    private static long[] fiveSeeds(long[] seeds, int i) {
        long[] out = new long[5];
        for (int k = 0; k < 5; k++) {
            out[k] = k == 2 ? seeds[i] : seeds[(i + 17 * (k + 1)) % 64];
        }
        return out;
    }
}
