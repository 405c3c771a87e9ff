package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ClipCropTest {

    static final int SIDE = 64;

    @Test
    void everyOutputPixelIsAnAverageOfPixelsInsideThePicture() {
        SplittableRandom random = new SplittableRandom(3);
        for (int k = 0; k < 300; k++) {
            ClipCrop crop = ClipCrop.random(random, SIDE, 0.75);
            for (float[] matrix : new float[][] {crop.rowMatrix(), crop.columnMatrix()}) {
                for (int i = 0; i < SIDE; i++) {
                    float sum = 0;
                    for (int j = 0; j < SIDE; j++) {
                        assertThat(matrix[i * SIDE + j]).isBetween(0f, 1f);
                        sum += matrix[i * SIDE + j];
                    }
                    assertThat(sum).isCloseTo(1f, within(1e-5f));
                }
            }
        }
    }

    @Test
    void theFullScaleUnmirroredCropIsThePictureItself() {
        float[] identity = ClipCrop.resampling(SIDE, 0, SIDE, false);
        for (int i = 0; i < SIDE; i++) {
            assertThat(identity[i * SIDE + i]).isEqualTo(1f);
        }
        float[] mirrored = ClipCrop.resampling(SIDE, 0, SIDE, true);
        assertThat(mirrored[SIDE - 1]).isEqualTo(1f);
    }

    @Test
    void theClipsBorderLandsDeepInsideThePictureOften() {
        // Where the first output column reads from: with shifts of a few pixels it stays within 4; crops move it.
        SplittableRandom random = new SplittableRandom(9);
        int deep = 0;
        int runs = 400;
        for (int k = 0; k < runs; k++) {
            ClipCrop crop = ClipCrop.random(random, SIDE, 0.75);
            float[] rows = crop.rowMatrix();
            double at = 0;
            for (int j = 0; j < SIDE; j++) {
                at += j * rows[j];
            }
            assertThat(at).isBetween(0.0, SIDE * 0.25);
            if (at > ClipViews.maxShift(SIDE)) {
                deep++;
            }
        }
        // Beyond any shift's reach in about 40% of the views (P(UV > 1/4) for a uniform scale and place).
        assertThat(deep).isGreaterThan(runs * 3 / 10);
    }

    @Test
    void aScaleOutsideTheUnitIntervalIsRefused() {
        assertThatThrownBy(() -> ClipCrop.random(new SplittableRandom(1), SIDE, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClipCrop.random(new SplittableRandom(1), SIDE, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
