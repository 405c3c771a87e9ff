package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ClipViewsTest {

    @Test
    void reflectionMirrorsWithoutRepeatingTheEdge() {
        assertThat(IntStream.rangeClosed(-3, 7)
                        .map(i -> ClipViews.reflect(i, 5))
                        .toArray())
                .containsExactly(3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1);
    }

    @Test
    void everyViewReadsInsideThePictureAndStaysWithinTheShift() {
        int side = 64;
        int max = ClipViews.maxShift(side);
        assertThat(max).isEqualTo(4);
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < 500; k++) {
            ClipViews view = ClipViews.random(random, side);
            int dy = view.rows()[side / 2] - side / 2;
            assertThat(Math.abs(dy)).isLessThanOrEqualTo(max);
            for (int i = 0; i < side; i++) {
                assertThat(view.rows()[i]).isBetween(0, side - 1);
                assertThat(view.columns()[i]).isBetween(0, side - 1);
                // Away from the borders a shift moves every row by the same amount.
                if (i >= max && i < side - max) {
                    assertThat(view.rows()[i] - i).isEqualTo(dy);
                }
            }
        }
    }

    @Test
    void viewsVaryFromStepToStepAndMirrorAboutHalfTheTime() {
        int side = 64;
        SplittableRandom random = new SplittableRandom(11);
        Set<String> distinct = new HashSet<>();
        int mirrored = 0;
        for (int k = 0; k < 400; k++) {
            ClipViews view = ClipViews.random(random, side);
            distinct.add(Arrays.toString(view.rows()) + Arrays.toString(view.columns()));
            // A mirrored view reads its first column from the right half.
            if (view.columns()[side / 2 - 1] > view.columns()[side / 2]) {
                mirrored++;
            }
        }
        // 9 row shifts x 9 column shifts x 2 mirrorings.
        assertThat(distinct).hasSizeGreaterThan(100);
        assertThat(mirrored).isBetween(160, 240);
    }

    @Test
    void theSelectionMatrixPicksTheMappedEntry() {
        int[] map = {2, 0, 1};
        float[] m = ClipViews.selection(map);
        float[] x = {10f, 20f, 30f};
        for (int i = 0; i < 3; i++) {
            float sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += m[i * 3 + j] * x[j];
            }
            assertThat(sum).isEqualTo(x[map[i]]);
        }
    }
}
