package dev.meadow.model.clip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import org.junit.jupiter.api.Test;

/** Twins for the CLIP: scenes that only the animals' kind tells apart, and batches that keep them together. */
class TwinBatchesTest {

    @Test
    void aTwinDiffersFromItsSceneInTheAnimalsKindAlone() {
        int twins = 0;
        for (int i = 1; i < 400; i += 2) {
            Scene before = PastoralSynth.scene(4, i - 1);
            Scene twin = PastoralSynth.twinScene(4, i);
            if (before.animals().isEmpty()) {
                assertThat(twin).isEqualTo(PastoralSynth.scene(4, i));
                continue;
            }
            twins++;
            assertThat(twin.seed()).isEqualTo(before.seed());
            assertThat(twin.sky()).isEqualTo(before.sky());
            assertThat(twin.ground()).isEqualTo(before.ground());
            assertThat(twin.mountains()).isEqualTo(before.mountains());
            assertThat(twin.barn()).isEqualTo(before.barn());
            assertThat(twin.horizon()).isEqualTo(before.horizon());
            assertThat(twin.animals()).hasSameSizeAs(before.animals());
            Set<Scene.Animal> kinds = new HashSet<>();
            for (int g = 0; g < twin.animals().size(); g++) {
                Scene.AnimalGroup mine = twin.animals().get(g);
                Scene.AnimalGroup theirs = before.animals().get(g);
                assertThat(mine.animal()).isNotEqualTo(theirs.animal());
                assertThat(mine.x()).isEqualTo(theirs.x());
                assertThat(mine.depth()).isEqualTo(theirs.depth());
                kinds.add(mine.animal());
            }
            assertThat(kinds).as("each group a kind of its own").hasSameSizeAs(twin.animals());
            assertThat(PastoralSynth.twinScene(4, i - 1)).isEqualTo(before);
        }
        assertThat(twins).isGreaterThan(100);
    }

    @Test
    void twinsStandSideBySideInEveryShuffledOrder() {
        // Image 7 is held out: its twin 6 stands alone, at the end.
        int[] train = IntStream.range(0, 40).filter(i -> i != 7).toArray();
        Set<String> orders = new HashSet<>();
        for (int epoch = 0; epoch < 5; epoch++) {
            int[] order = MeadowClipTraining.shuffledTwins(train, new SplittableRandom(epoch));
            assertThat(Arrays.stream(order).sorted().toArray()).containsExactly(train);
            for (int k = 0; k + 1 < order.length - 1; k += 2) {
                assertThat(order[k] / 2).as("position %d", k).isEqualTo(order[k + 1] / 2);
            }
            assertThat(order[order.length - 1]).isEqualTo(6);
            orders.add(Arrays.toString(order));
        }
        assertThat(orders).hasSize(5);
    }
}
