package dev.meadow.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.clip.ClipCard;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.ObjectStore;

/**
 * The models that ship in the repository's {@code models/} directory, trained by Meadow's own code (see
 * {@code models/README.md} for the commands that reproduce them). A fresh installation starts with them, so that
 * prompts turn into images from the first start.
 */
final class ShippedModels {

    /** Where judge CLIP models ship, inside the models directory. */
    static final String JUDGES = "judge";

    private ShippedModels() {}

    static void seedIfNothingActive(Path modelsDir, ObjectStore store, String bootstrap, PrintWriter out)
            throws Exception {
        try (ModelCatalog catalog = new ModelCatalog(bootstrap, "meadow-up").start()) {
            catalog.awaitCaughtUp(Duration.ofSeconds(30));
            boolean needClip = catalog.activeId(ModelKind.CLIP).isEmpty();
            boolean needDecoder = catalog.activeId(ModelKind.CVAE).isEmpty();
            publishJudges(modelsDir.resolve(JUDGES), catalog, store, bootstrap, out);
            if (!needClip && !needDecoder) {
                return;
            }
            try (ModelSeeding seeding = new ModelSeeding(store, bootstrap)) {
                for (Path dir : directories(modelsDir)) {
                    boolean clip = Files.exists(dir.resolve(ClipCard.FILE_NAME));
                    boolean decoder = Files.exists(dir.resolve(DecoderCard.FILE_NAME));
                    if ((clip && needClip) || (decoder && needDecoder)) {
                        ModelPublished published = seeding.publish(dir, true);
                        out.printf(
                                "  %-14s published and activated shipped %s model %s%n",
                                "models", published.kind().id(), published.modelId());
                        needClip &= !clip;
                        needDecoder &= !decoder;
                    }
                }
            }
            if (needClip || needDecoder) {
                out.printf(
                        "  %-14s no shipped %s found in %s: publish one before generating%n",
                        "models", needClip ? "CLIP model" : "decoder", modelsDir);
            }
            out.flush();
        }
    }

    /**
     * Judge CLIP models (for evaluation and reverse captions) are published but never activated: they grade the
     * conditioning CLIP, so they must not replace it.
     */
    private static void publishJudges(
            Path judgesDir, ModelCatalog catalog, ObjectStore store, String bootstrap, PrintWriter out)
            throws Exception {
        try (ModelSeeding seeding = new ModelSeeding(store, bootstrap)) {
            for (Path dir : directories(judgesDir)) {
                if (!Files.exists(dir.resolve(ClipCard.FILE_NAME))) {
                    continue;
                }
                String id = ClipModel.readCard(dir).modelId();
                if (catalog.published(ModelKind.CLIP, id).isEmpty()) {
                    seeding.publish(dir, false);
                    out.printf("  %-14s published judge CLIP model %s%n", "models", id);
                }
            }
        }
    }

    private static List<Path> directories(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) {
            return List.of();
        }
        // CLIP models first: a decoder is only activated next to the CLIP model it was trained against.
        try (Stream<Path> entries = Files.list(modelsDir)) {
            return entries.filter(Files::isDirectory)
                    .sorted(java.util.Comparator.comparing((Path p) -> !Files.exists(p.resolve(ClipCard.FILE_NAME)))
                            .thenComparing(Path::getFileName))
                    .toList();
        }
    }
}
