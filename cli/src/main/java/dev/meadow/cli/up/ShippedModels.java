package dev.meadow.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.meadow.contracts.ModelKind;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.clip.ClipCard;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.prior.Prior;
import dev.meadow.model.prior.PriorCard;
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
     * Publishes every shipped model the catalog lacks. Each is activated only where no model of its kind is active
     * (a decoder only next to the CLIP model it was trained against, and a decoder that draws through a prior
     * before one that does not): a model that serves already, shipped or chosen, keeps serving until someone
     * activates another. A prior is published before the decoders that draw through it, and activated with its
     * decoder, never alone.
     */
    static void seed(Path modelsDir, ObjectStore store, Map<String, Object> kafka, String galleryUrl, PrintWriter out)
            throws Exception {
        try (ModelCatalog catalog = new ModelCatalog(kafka, "meadow-up").start();
                ModelSeeding seeding = new ModelSeeding(store, kafka)) {
            boolean caughtUp = catalog.awaitCaughtUp(Duration.ofSeconds(30));
            if (!caughtUp || catalog.problem().isPresent()) {
                // Without the catalog's view every shipped model would look new and every kind unserved.
                out.printf(
                        "  %-14s shipped models not checked: the models topic could not be read (%s)%n",
                        "models", catalog.problem().orElse("not caught up after 30 s"));
                out.flush();
                return;
            }
            // What serves each kind, as this run leaves it (the catalog hears of its own activations later).
            Map<ModelKind, String> serving = new EnumMap<>(ModelKind.class);
            for (ModelKind kind : List.of(ModelKind.CLIP, ModelKind.CVAE)) {
                catalog.activeId(kind).ifPresent(id -> serving.put(kind, id));
            }
            Set<ModelKind> shipped = EnumSet.noneOf(ModelKind.class);
            List<Shipped> models = list(modelsDir);
            // A paired decoder serves only with its prior: activated where that prior ships too or is published.
            Set<String> priors = new java.util.HashSet<>();
            catalog.all(ModelKind.PRIOR).forEach(p -> priors.add(p.modelId()));
            models.stream().filter(m -> m.kind() == ModelKind.PRIOR).forEach(m -> priors.add(m.id()));
            for (Shipped model : models) {
                if (!model.judge()) {
                    shipped.add(model.kind());
                }
                boolean published = catalog.published(model.kind(), model.id()).isPresent();
                boolean unserved =
                        !model.judge() && model.kind() != ModelKind.PRIOR && !serving.containsKey(model.kind());
                boolean activate = unserved
                        && (model.clipModelId() == null || model.clipModelId().equals(serving.get(ModelKind.CLIP)))
                        && (model.priorModelId() == null || priors.contains(model.priorModelId()));
                if (published && !activate) {
                    continue;
                }
                if (published) {
                    // Published before without activation (a start stopped in between): it only needs activating.
                    seeding.activate(model.kind(), model.id());
                } else {
                    seeding.publish(model.directory(), activate);
                }
                if (activate && model.priorModelId() != null) {
                    seeding.activate(ModelKind.PRIOR, model.priorModelId());
                }
                out.printf("  %-14s %s%n", "models", said(model, published, activate, unserved, serving, galleryUrl));
                if (activate) {
                    serving.put(model.kind(), model.id());
                }
            }
            for (ModelKind kind : List.of(ModelKind.CLIP, ModelKind.CVAE)) {
                if (!serving.containsKey(kind) && !shipped.contains(kind)) {
                    out.printf(
                            "  %-14s no shipped %s found in %s: publish one before generating%n",
                            "models", kind == ModelKind.CLIP ? "CLIP model" : "decoder", modelsDir);
                }
            }
            out.flush();
        }
    }

    /** What was done with a shipped model, and what a user does next where it does not serve. */
    private static String said(
            Shipped model,
            boolean published,
            boolean activated,
            boolean unserved,
            Map<ModelKind, String> serving,
            String galleryUrl) {
        String what = model.kind().id() + " model " + model.id();
        if (activated) {
            return (published ? "activated shipped " : "published and activated shipped ") + what;
        }
        if (model.judge()) {
            return "published judge CLIP model " + model.id();
        }
        if (model.kind() == ModelKind.PRIOR) {
            return "published shipped " + what + " (activated with a decoder that draws through it)";
        }
        if (unserved) {
            return "published shipped " + what + "; not activated: it was trained against CLIP "
                    + model.clipModelId() + ", and " + serving.getOrDefault(ModelKind.CLIP, "no CLIP model")
                    + " serves (activate it on " + galleryUrl + "models, which brings its CLIP along)";
        }
        String next = model.kind() == ModelKind.CLIP
                ? "a decoder trained against it brings it along when activated on " + galleryUrl + "models"
                : "activate the new one on " + galleryUrl + "models";
        return "published shipped " + what + "; " + serving.get(model.kind()) + " stays active (" + next + ")";
    }

    /** A model directory under {@code models/}; judges are CLIP models that grade, never serve. */
    record Shipped(Path directory, ModelKind kind, String id, boolean judge, String clipModelId, String priorModelId) {}

    /**
     * CLIP models first (a decoder is only activated next to the CLIP model it was trained against), then priors
     * (a decoder is loaded with its prior), then decoders, those that draw through a prior first: on a fresh
     * installation the first one is activated.
     */
    static List<Shipped> list(Path modelsDir) throws IOException {
        List<Shipped> models = new ArrayList<>();
        for (Path dir : directories(modelsDir)) {
            card(dir, false).ifPresent(models::add);
        }
        for (Path dir : directories(modelsDir.resolve(JUDGES))) {
            card(dir, true).filter(m -> m.kind() == ModelKind.CLIP).ifPresent(models::add);
        }
        models.sort(Comparator.comparing(
                        (Shipped m) -> m.kind() == ModelKind.CLIP ? 0 : m.kind() == ModelKind.PRIOR ? 1 : 2)
                .thenComparing(Shipped::judge)
                .thenComparing(m -> m.priorModelId() == null)
                .thenComparing(m -> m.directory().getFileName()));
        return models;
    }

    private static Optional<Shipped> card(Path dir, boolean judge) {
        if (Files.exists(dir.resolve(ClipCard.FILE_NAME))) {
            return Optional.of(
                    new Shipped(dir, ModelKind.CLIP, ClipModel.readCard(dir).modelId(), judge, null, null));
        }
        if (Files.exists(dir.resolve(PriorCard.FILE_NAME))) {
            PriorCard card = Prior.readCard(dir);
            return Optional.of(new Shipped(dir, ModelKind.PRIOR, card.modelId(), judge, card.clipModelId(), null));
        }
        if (Files.exists(dir.resolve(DecoderCard.FILE_NAME))) {
            DecoderCard card = Decoder.readCard(dir);
            return Optional.of(
                    new Shipped(dir, ModelKind.CVAE, card.modelId(), judge, card.clipModelId(), card.priorModelId()));
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
