package dev.meadow.gateway.service.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.gateway.api.DroppedImages;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadCaptionsTest {

    @TempDir
    Path dir;

    private ArchiveExtractor.Extracted archive(String captionsJsonl, String... images) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String image : images) {
            files.put(image, Files.write(dir.resolve(image), new byte[] {1}));
        }
        Path captions = captionsJsonl == null
                ? null
                : Files.writeString(dir.resolve("captions.jsonl"), captionsJsonl, StandardCharsets.UTF_8);
        return new ArchiveExtractor.Extracted(files, captions, List.of());
    }

    @Test
    void readsJsonLinesByFileNameAndTalliesImagesWithoutACaption() throws IOException {
        DropReport dropped = new DropReport();
        UploadCaptions read = UploadCaptions.fromJsonLines(archive("""
                        {"image": "photos/a.png", "caption": " a cow on a hill "}

                        {"image": "a.png", "caption": "grass"}
                        {"image": "b.png", "caption": "snow"}
                        """, "a.png", "b.png", "c.png"), 1024, dropped);
        assertThat(read.source()).isEqualTo(UploadCaptions.JSON_LINES);
        assertThat(read.captions())
                .containsExactly(
                        Map.entry("a.png", List.of("a cow on a hill", "grass")), Map.entry("b.png", List.of("snow")));
        assertThat(read.imageCount()).isEqualTo(2);
        assertThat(read.captionCount()).isEqualTo(3);
        assertThat(dropped.toList())
                .containsExactly(
                        new DroppedImages("in the archive without a caption in captions.jsonl", 1, List.of("c.png")));
    }

    @Test
    void namesTheLineThatIsWrong() throws IOException {
        assertThatThrownBy(() -> UploadCaptions.fromJsonLines(
                        archive("{\"image\": \"a.png\", \"caption\": \"x\"}\nnot json\n", "a.png"),
                        1024,
                        new DropReport()))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("captions.jsonl line 2 is not valid JSON");
        assertThatThrownBy(() -> UploadCaptions.fromJsonLines(
                        archive("{\"image\": \"z.png\", \"caption\": \"x\"}\n", "a.png"), 1024, new DropReport()))
                .hasMessage("captions.jsonl line 1 names image z.png, which is not in the archive");
        assertThatThrownBy(() -> UploadCaptions.fromJsonLines(
                        archive("{\"image\": \"a.png\", \"caption\": \"  \"}\n", "a.png"), 1024, new DropReport()))
                .hasMessage("captions.jsonl line 1 needs an image and a caption");
        assertThatThrownBy(() -> UploadCaptions.fromJsonLines(
                        archive("{\"image\": \"a.png\", \"caption\": \"" + "x".repeat(100) + "\"}\n", "a.png"),
                        64,
                        new DropReport()))
                .hasMessage("captions.jsonl line 1 is longer than 64 bytes");
        assertThatThrownBy(() -> UploadCaptions.fromJsonLines(archive(null, "a.png"), 1024, new DropReport()))
                .hasMessageContaining("the archive has no captions.jsonl");
    }

    @Test
    void keepsImagesWithAKeywordAndSaysWhyTheOthersWentOut() {
        UploadCaptions all = new UploadCaptions(
                UploadCaptions.COCO,
                Map.of("a.png", List.of("a chill evening", "two cows"), "b.png", List.of("a chilly hill")),
                Map.of("a.png", Map.of("sky", "clear")));
        DropReport dropped = new DropReport();
        UploadCaptions kept = all.keep(new KeywordFilter(List.of("Cow", "sheep")), dropped);
        assertThat(kept.captions()).containsOnlyKeys("a.png");
        assertThat(kept.attributes()).isEqualTo(all.attributes());
        assertThat(dropped.toList())
                .containsExactly(
                        new DroppedImages("no caption has any of the keywords cow, sheep", 1, List.of("b.png")));
        assertThatThrownBy(() -> all.keep(new KeywordFilter(List.of("horse")), new DropReport()))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessageContaining("no image has a caption with the words [horse]");
    }
}
