package dev.meadow.model.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.meadow.dataset.Snapshot;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class ReverseCaptionerTest {

    @Test
    void findsTheCaptionsWithTheHighestCosineInOrder() {
        Snapshot snapshot = Snapshot.read(TinyModels.get().snapshot());
        List<String> pool = new ArrayList<>();
        snapshot.captionsByImage().values().forEach(pool::addAll);
        List<String> distinct = pool.stream().distinct().toList();
        BufferedImage picture = snapshot.readImage(snapshot.imageFiles().get(0));
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            ReverseCaptioner captioner = new ReverseCaptioner(clip, distinct);
            List<ReverseCaptioner.Match> top = captioner.closest(picture, 5);

            // The same answer by brute force: every caption's cosine, sorted.
            float[] image = clip.encodeImages(List.of(picture))[0];
            float[][] texts = clip.encodeText(distinct);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < distinct.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble(i -> -Retrieval.dot(image, texts[i])));
            assertThat(top).hasSize(5);
            for (int j = 0; j < 5; j++) {
                assertThat(top.get(j).caption()).isEqualTo(distinct.get(order.get(j)));
                assertThat(top.get(j).similarity()).isCloseTo(Retrieval.dot(image, texts[order.get(j)]), within(1e-5));
            }
            assertThat(captioner.closest(picture, 10_000)).hasSize(distinct.size());
        }
    }

    @Test
    void aPoolFileShipsBesideTheModel() {
        Path model = TinyModels.get().clipCopy("clip-pool-test");
        assertThat(ReverseCaptioner.writePool(model, List.of("a cow", "a cow", " sheep \n", "", "a barn"), 2))
                .isEqualTo(2);
        try (ClipModel clip = ClipModel.load(model)) {
            ReverseCaptioner captioner = ReverseCaptioner.forModel(clip);
            assertThat(captioner.poolSize()).isEqualTo(2);
        }
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            assertThatThrownBy(() -> ReverseCaptioner.forModel(clip)).hasMessageContaining("no caption pool");
        }
    }
}
