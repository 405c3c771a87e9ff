package dev.meadow.gateway.service.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.meadow.gateway.service.errors.UploadRejectedException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Whatever annotations file is uploaded, the COCO captions reader either reads it or refuses it with a reason. */
class CocoCaptionsPropertiesTest {

    private static final List<String> PIECES = List.of(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"images\"",
            "\"annotations\"",
            "\"licenses\"",
            "\"id\"",
            "\"image_id\"",
            "\"caption\"",
            "\"file_name\"",
            "\"license\"",
            "\"name\"",
            "\"url\"",
            "1",
            "-1",
            "99999999999999999999999",
            "2.5",
            "null",
            "true",
            "\"a cow on the farmer's field\"",
            "\"x.jpg\"",
            "\"\"",
            " ",
            "\n",
            "\"\\u0000\"",
            "\"\uD83D\"");

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("coco-properties-");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<String> annotations() {
        Arbitrary<String> pieced = Arbitraries.of(PIECES).list().ofMaxSize(40).map(p -> String.join("", p));
        Arbitrary<String> shaped = pieced.map(p -> "{\"images\": [" + p + "], \"annotations\": [" + p + "]}");
        return Arbitraries.oneOf(pieced, shaped, Arbitraries.strings().all().ofMaxLength(200));
    }

    @Property(tries = 1000)
    void annotationsAreReadOrRefusedWithAReason(@ForAll("annotations") String json) throws IOException {
        Path file = Files.write(dir.resolve("captions.json"), json.getBytes(StandardCharsets.UTF_8));
        try {
            for (CocoCaptions.Image image : CocoCaptions.read(file)) {
                assertThat(image.fileName()).isNotBlank();
                assertThat(image.captions()).doesNotContainNull();
            }
        } catch (UploadRejectedException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
