package dev.meadow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.ClipTrainingSettings;
import dev.meadow.model.clip.DatasetEmbedder;
import dev.meadow.model.clip.MeadowClipTraining;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.TrainingSettings;
import dev.meadow.synth.PastoralSynth;

/**
 * Real but tiny models for tests, trained by Meadow's own code once per JVM: a CLIP with 16-dimensional
 * embeddings on 32x32 Pastoral-Synth renders, and a tiny-32 decoder conditioned on it.
 */
public final class TinyModels {

    public static final String CLIP_ID = "clip-tiny-test";
    public static final String DECODER_ID = "cvae-tiny-test";

    private static TinyModels instance;

    private final Path root;
    private final Path snapshot;
    private final Path clip;
    private final Path decoder;

    private TinyModels(Path root) {
        this.root = root;
        this.snapshot = root.resolve("synth");
        this.clip = root.resolve("clip");
        this.decoder = root.resolve("decoder");
    }

    public static synchronized TinyModels get() {
        if (instance == null) {
            try {
                TinyModels models = new TinyModels(Files.createTempDirectory("meadow-tiny-models-"));
                models.train();
                instance = models;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void train() {
        Snapshot synth = PastoralSynth.generate(160, 32, 5, snapshot, i -> { });
        float[] pixels = synth.loadPixels(32);
        List<List<String>> captions = new ArrayList<>();
        for (String file : synth.imageFiles()) {
            captions.add(synth.captionsByImage().get(file));
        }
        MeadowClipTraining.train(pixels, captions, ClipTrainingSettings.defaults().withEpochs(2).withImageSize(32)
                .withDimension(16).withHeldOutPairs(20).withBatchSize(32), CLIP_ID, clip,
                new MeadowClipTraining.Listener() { });
        try (ClipModel model = ClipModel.load(clip)) {
            DatasetEmbedder.Embedded embedded = DatasetEmbedder.embed(synth, model, done -> { });
            CvaeData data = new CvaeData(32, synth.size(), pixels, 16, embedded.images().values(),
                    embedded.captions().values(), embedded.captions().owners());
            CvaeTraining.Spec spec = new CvaeTraining.Spec(CvaePreset.TINY_32, ConditioningMode.IMAGE,
                    TrainingSettings.defaults().withEpochs(1).withBatchSize(16), CLIP_ID, "tiny-synth");
            CvaeTraining.Outcome outcome = CvaeTraining.train(data, spec, root.resolve("work"),
                    new CvaeTraining.Listener() { });
            CvaeTraining.export(outcome, spec, 16, DECODER_ID, decoder);
        }
    }

    /** A 160-image 32x32 Pastoral-Synth snapshot. */
    public Path snapshot() {
        return snapshot;
    }

    public Path clip() {
        return clip;
    }

    public Path decoder() {
        return decoder;
    }

    /** A copy of the decoder under another model id (same weights): a second "version" for swap tests. */
    public Path decoderCopy(String modelId) {
        Path copy = root.resolve("decoder-" + modelId);
        try {
            if (!Files.exists(copy)) {
                try (var files = Files.walk(decoder)) {
                    for (Path source : files.toList()) {
                        Path target = copy.resolve(decoder.relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(source, target);
                        }
                    }
                }
                Path card = copy.resolve("model.json");
                Files.writeString(card, Files.readString(card).replace("\"" + DECODER_ID + "\"",
                        "\"" + modelId + "\""));
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
