package dev.meadow.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.meadow.contracts.ModelKind;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.clip.ClipCard;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.ObjectStore;

/**
 * The models that ship in the repository's {@code models/} directory, trained by Meadow's own code (see
 * {@code models/README.md} for the commands that reproduce them). A fresh installation starts with them, so that
 * prompts turn into images from the first start; an installation that already runs gets every shipped model it
 * lacks, so that a newer checkout's models reach an old data directory too.
 */
final class ShippedModels {

    /** Where judge CLIP models ship, inside the models directory. */
    static final String JUDGES = "judge";

    private ShippedModels() {}

    /**
     * Publishes every shipped model the catalog lacks. Each is activated only where no model of its kind is active:
     * a model that serves already, shipped or chosen, keeps serving until someone activates another.
     */
    static void seed(Path modelsDir, ObjectStore store, String bootstrap, String galleryUrl, PrintWriter out)
            throws Exception {
        try (ModelCatalog catalog = new ModelCatalog(bootstrap, "meadow-up").start();
                ModelSeeding seeding = new ModelSeeding(store, bootstrap)) {
            catalog.awaitCaughtUp(Duration.ofSeconds(30));
            // What serves each kind, as this run leaves it (the catalog hears of its own activations later).
            Map<ModelKind, String> serving = new EnumMap<>(ModelKind.class);
            for (ModelKind kind : List.of(ModelKind.CLIP, ModelKind.CVAE)) {
                catalog.activeId(kind).ifPresent(id -> serving.put(kind, id));
            }
            for (Shipped model : list(modelsDir)) {
                boolean published = catalog.published(model.kind(), model.id()).isPresent();
                boolean activate = !model.judge() && !serving.containsKey(model.kind());
                if (published && !activate) {
                    continue;
                }
                if (published) {
                    // Published before without activation (a start stopped in between): it only needs activating.
                    seeding.activate(model.kind(), model.id());
                } else {
                    seeding.publish(model.directory(), activate);
                }
                if (activate) {
                    serving.put(model.kind(), model.id());
                    out.printf(
                            "  %-14s %s shipped %s model %s%n",
                            "models",
                            published ? "activated" : "published and activated",
                            model.kind().id(),
                            model.id());
                } else if (model.judge()) {
                    out.printf("  %-14s published judge CLIP model %s%n", "models", model.id());
                } else {
                    out.printf(
                            "  %-14s published shipped %s model %s; %s stays active (activate the new one on %smodels)%n",
                            "models", model.kind().id(), model.id(), serving.get(model.kind()), galleryUrl);
                }
            }
            for (ModelKind kind : List.of(ModelKind.CLIP, ModelKind.CVAE)) {
                if (serving.containsKey(kind)) {
                    continue;
                }
                out.printf(
                        "  %-14s no shipped %s found in %s: publish one before generating%n",
                        "models", kind == ModelKind.CLIP ? "CLIP model" : "decoder", modelsDir);
            }
            out.flush();
        }
    }

    /** A model directory under {@code models/}; judges are CLIP models that grade, never serve. */
    record Shipped(Path directory, ModelKind kind, String id, boolean judge) {}

    /** CLIP models first: a decoder is only activated next to the CLIP model it was trained against. */
    static List<Shipped> list(Path modelsDir) throws IOException {
        List<Shipped> models = new ArrayList<>();
        for (Path dir : directories(modelsDir)) {
            card(dir, false).ifPresent(models::add);
        }
        for (Path dir : directories(modelsDir.resolve(JUDGES))) {
            card(dir, true).filter(m -> m.kind() == ModelKind.CLIP).ifPresent(models::add);
        }
        models.sort(Comparator.comparing((Shipped m) -> m.kind() != ModelKind.CLIP)
                .thenComparing(Shipped::judge)
                .thenComparing(m -> m.directory().getFileName()));
        return models;
    }

    private static Optional<Shipped> card(Path dir, boolean judge) {
        if (Files.exists(dir.resolve(ClipCard.FILE_NAME))) {
            return Optional.of(
                    new Shipped(dir, ModelKind.CLIP, ClipModel.readCard(dir).modelId(), judge));
        }
        if (Files.exists(dir.resolve(DecoderCard.FILE_NAME))) {
            return Optional.of(
                    new Shipped(dir, ModelKind.CVAE, Decoder.readCard(dir).modelId(), judge));
        }
        return Optional.empty();
    }

    private static List<Path> directories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        }
    }
}
