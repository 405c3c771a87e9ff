package dev.meadow.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.messaging.ModelCatalog;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped models as they are in {@code models/}: a fresh installation serves the decoder that draws through the
 * prior, with that prior; a paired decoder whose prior ships nowhere is published but never activated.
 */
@Tag("integration")
class ShippedPairTest {

    private static final Path SHIPPED = Path.of("../models");
    private static final String GALLERY = "http://localhost:8080/";

    @TempDir
    static Path dir;

    static SeedingStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = SeedingStack.start(dir, "pair-test");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aFreshInstallationServesTheShippedPairAndAnOrphanNever() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        for (String shipped : List.of("meadow-clip-v1", "meadow-prior-v1", "small-64-resize-reflect-v7")) {
            PathUtils.copyDirectory(SHIPPED.resolve(shipped), models.resolve(shipped));
        }
        PathUtils.copyDirectory(SHIPPED.resolve("small-64-resize-clip-v6"), models.resolve("small-64-resize-clip-v6"));
        // A paired decoder whose prior ships nowhere: it could never load.
        Path orphan = models.resolve("zz-orphan");
        PathUtils.copyDirectory(SHIPPED.resolve("small-64-resize-reflect-v7"), orphan);
        Path card = orphan.resolve("model.json");
        Files.writeString(
                card,
                Files.readString(card)
                        .replace("\"modelId\" : \"small-64-resize-reflect-v7\"", "\"modelId\" : \"orphan-decoder\"")
                        .replace("\"priorModelId\" : \"meadow-prior-v1\"", "\"priorModelId\" : \"missing-prior\""));
        assertThat(Files.readString(card)).contains("orphan-decoder").contains("missing-prior");

        StringWriter text = new StringWriter();
        ShippedModels.seed(models, stack.store, stack.kafka.adminConnection(), GALLERY, new PrintWriter(text));
        assertThat(text.toString())
                .contains("published and activated shipped clip model meadow-clip-v1")
                .contains(
                        "published shipped prior model meadow-prior-v1 (activated with a decoder that draws through it)")
                .contains("published and activated shipped cvae model small-64-resize-reflect-v7")
                .contains(
                        "published shipped cvae model small-64-resize-clip-v6; small-64-resize-reflect-v7 stays active")
                .contains("published shipped cvae model orphan-decoder");
        try (ModelCatalog catalog = stack.caughtUpCatalog("shipped-pair-test")) {
            assertThat(catalog.activeId(ModelKind.CVAE)).contains("small-64-resize-reflect-v7");
            assertThat(catalog.activeId(ModelKind.PRIOR)).contains("meadow-prior-v1");
            assertThat(catalog.activeId(ModelKind.CLIP)).contains("meadow-clip-v1");
            assertThat(catalog.published(ModelKind.CVAE, "small-64-resize-reflect-v7"))
                    .map(ModelPublished::priorModelId)
                    .contains("meadow-prior-v1");
            ModelPublished prior =
                    catalog.published(ModelKind.PRIOR, "meadow-prior-v1").orElseThrow();
            ModelPublished decoder = catalog.published(ModelKind.CVAE, "small-64-resize-reflect-v7")
                    .orElseThrow();
            assertThat(prior.publishedAt()).as("the prior before its decoder").isBeforeOrEqualTo(decoder.publishedAt());
            assertThat(prior.clipModelId()).isEqualTo("meadow-clip-v1");
        }
    }
}
