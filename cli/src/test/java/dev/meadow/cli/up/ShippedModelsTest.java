package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.meadow.contracts.ModelKind;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.publishing.ModelSeeding;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code meadow up} publishes from {@code models/}, against a real broker and object store. */
@Tag("integration")
class ShippedModelsTest {

    private static final Path SHIPPED = Path.of("../models");
    private static final String GALLERY = "http://localhost:8080/";

    @TempDir
    static Path dir;

    static SeedingStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = SeedingStack.start(dir, "shipped-test");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aNewerCheckoutsModelsReachAnInstallationThatRunsAlreadyWithoutReplacingWhatServes() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        PathUtils.copyDirectory(SHIPPED.resolve("judge"), models.resolve("judge"));
        // A decoder trained against the judge, which never serves: nothing it could be activated next to.
        shipDecoder(models, "decoder-x", "shipped-decoder-x");
        Path card = models.resolve("decoder-x/model.json");
        Files.writeString(
                card,
                Files.readString(card)
                        .replace("\"clipModelId\" : \"meadow-clip-v1\"", "\"clipModelId\" : \"meadow-judge-clip-v1\""));

        // A judge grades the serving CLIP; it never serves, even where nothing else could.
        String judgesOnly = seed(models);
        assertThat(judgesOnly)
                .contains("published judge CLIP model meadow-judge-clip-v1")
                .contains("published shipped cvae model shipped-decoder-x; not activated: it was trained against"
                        + " CLIP meadow-judge-clip-v1, and no CLIP model serves")
                .contains("no shipped CLIP model found")
                .doesNotContain("no shipped decoder found");
        assertThat(active(ModelKind.CLIP)).isNull();
        assertThat(active(ModelKind.CVAE)).isNull();

        PathUtils.copyDirectory(SHIPPED.resolve("meadow-clip-v1"), models.resolve("meadow-clip-v1"));
        shipDecoder(models, "decoder-a", "shipped-decoder-a");
        // As if a start had stopped between publishing this decoder and activating it.
        try (ModelSeeding seeding = new ModelSeeding(stack.store, stack.kafka.adminConnection())) {
            seeding.publish(models.resolve("decoder-a"), false);
        }
        String fresh = seed(models);
        assertThat(fresh)
                .contains("published and activated shipped clip model meadow-clip-v1")
                .contains("activated shipped cvae model shipped-decoder-a")
                .doesNotContain("published and activated shipped cvae")
                .doesNotContain("judge")
                .doesNotContain("no shipped");
        assertThat(active(ModelKind.CLIP)).isEqualTo("meadow-clip-v1");
        assertThat(active(ModelKind.CVAE)).isEqualTo("shipped-decoder-a");

        // The next checkout ships a better decoder: the running installation gets it, and keeps serving its own.
        shipDecoder(models, "decoder-b", "shipped-decoder-b");
        String upgrade = seed(models);
        assertThat(upgrade)
                .contains("published shipped cvae model shipped-decoder-b; shipped-decoder-a stays active"
                        + " (activate the new one on " + GALLERY + "models)")
                .doesNotContain("meadow-clip-v1")
                .doesNotContain("activated");
        assertThat(active(ModelKind.CVAE)).isEqualTo("shipped-decoder-a");

        assertThat(seed(models)).as("nothing is published twice").isEmpty();
        try (ModelCatalog catalog = caughtUpCatalog()) {
            assertThat(catalog.all(ModelKind.CVAE))
                    .extracting(p -> p.modelId())
                    .containsExactlyInAnyOrder("shipped-decoder-a", "shipped-decoder-b", "shipped-decoder-x");
            assertThat(catalog.all(ModelKind.CLIP))
                    .extracting(p -> p.modelId())
                    .containsExactlyInAnyOrder("meadow-clip-v1", "meadow-judge-clip-v1");
        }
    }

    private static void shipDecoder(Path models, String directory, String modelId) throws Exception {
        Path target = models.resolve(directory);
        PathUtils.copyDirectory(SHIPPED.resolve("small-64-resize-clip-v6"), target);
        Path card = target.resolve("model.json");
        String json = Files.readString(card);
        String renamed =
                json.replaceFirst("\"modelId\" : \"small-64-resize-clip-v6\"", "\"modelId\" : \"" + modelId + "\"");
        assertThat(renamed).isNotEqualTo(json);
        Files.writeString(card, renamed);
    }

    private static String seed(Path models) throws Exception {
        StringWriter text = new StringWriter();
        ShippedModels.seed(models, stack.store, stack.kafka.adminConnection(), GALLERY, new PrintWriter(text));
        return text.toString();
    }

    private static String active(ModelKind kind) throws Exception {
        try (ModelCatalog catalog = caughtUpCatalog()) {
            return catalog.activeId(kind).orElse(null);
        }
    }

    private static ModelCatalog caughtUpCatalog() throws Exception {
        return stack.caughtUpCatalog("shipped-models-test");
    }
}
