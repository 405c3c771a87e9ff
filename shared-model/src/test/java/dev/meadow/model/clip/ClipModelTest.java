package dev.meadow.model.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.dataset.Snapshot;
import dev.meadow.model.InvalidModelException;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ClipModelTest {

    @Test
    void anEmbeddingDoesNotDependOnWhatItIsBatchedWith() {
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            float[] alone = clip.encodeText("two brown cows on green grass under a blue sky");
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                many.add(i == 37 ? "two brown cows on green grass under a blue sky" : "a white sheep number " + i);
            }
            float[][] batch = clip.encodeText(many);
            assertThat(batch[37]).containsExactly(alone);
            assertThat(batch.length).isEqualTo(100);
        }
    }

    @Test
    void imagesAndCaptionsOfTheSameSceneAreCloserThanUnrelatedOnes() {
        Snapshot snapshot = Snapshot.read(TinyModels.get().snapshot());
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            List<String> files = snapshot.imageFiles().subList(0, 40);
            float[][] images =
                    clip.encodeImages(files.stream().map(snapshot::readImage).toList());
            float[][] captions = clip.encodeText(files.stream()
                    .map(f -> snapshot.captionsByImage().get(f).get(0))
                    .toList());
            double matched = 0;
            double unmatched = 0;
            for (int i = 0; i < files.size(); i++) {
                matched += dot(images[i], captions[i]);
                unmatched += dot(images[i], captions[(i + 1) % files.size()]);
            }
            assertThat(matched).isGreaterThan(unmatched);
        }
    }

    @Test
    void unknownWordsMapToTheUnknownToken() {
        try (ClipTokenizer tokenizer = new ClipTokenizer(TinyModels.get().clip().resolve("tokenizer.json"), 8)) {
            ClipTokenizer.Tokens tokens = tokenizer.encode(List.of("zebra cow"));
            assertThat(tokens.ids()[0]).isEqualTo(1L);
            assertThat(tokens.ids()[1]).isGreaterThan(1L);
            assertThat(tokens.mask()).containsExactly(1, 1, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void aBrokenDirectoryIsRefusedWithTheReason(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a CLIP model: clip.json is missing");
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy.resolve("variables"));
        try (var files = Files.list(TinyModels.get().clip())) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        assertThatThrownBy(() -> ClipModel.load(copy))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("file variables/variables.data-00000-of-00001 is missing");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
