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
import dev.meadow.model.cvae.DecoderPairing;
import dev.meadow.model.cvae.TrainingSettings;
import dev.meadow.model.prior.PriorTraining;
import dev.meadow.synth.PastoralSynth;

/**
 * Real but tiny models for tests, trained by Meadow's own code once per JVM: a CLIP with 16-dimensional
 * embeddings on 32x32 Pastoral-Synth renders, and a tiny-32 decoder conditioned on it.
 */
public final class TinyModels {

    public static final String CLIP_ID = "clip-tiny-test";
    public static final String DECODER_ID = "cvae-tiny-test";

    private static final String TRAINED_PROPERTY = "meadow.tiny-models.trained";

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
            // Quarkus runs tests with another profile in another class loader, which sees its own static fields
            // but the same system properties. Training again there would load the tokenizer's native library a
            // second time, which the JVM refuses: models already trained in this JVM are reused instead.
            String trained = System.getProperty(TRAINED_PROPERTY);
            if (trained != null && Files.isDirectory(Path.of(trained).resolve("decoder"))) {
                instance = new TinyModels(Path.of(trained));
                return instance;
            }
            try {
                TinyModels models = new TinyModels(Files.createTempDirectory("meadow-tiny-models-"));
                models.train();
                instance = models;
                System.setProperty(TRAINED_PROPERTY, models.root.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private void train() {
        Snapshot synth = PastoralSynth.generate(160, 32, 5, snapshot, i -> {});
        float[] pixels = synth.loadPixels(32);
        List<List<String>> captions = new ArrayList<>();
        for (String file : synth.imageFiles()) {
            captions.add(synth.captionsByImage().get(file));
        }
        MeadowClipTraining.train(
                pixels,
                captions,
                ClipTrainingSettings.defaults()
                        .withEpochs(2)
                        .withImageSize(32)
                        .withDimension(16)
                        .withHeldOutPairs(20)
                        .withBatchSize(32),
                CLIP_ID,
                clip,
                new MeadowClipTraining.Listener() {});
        try (ClipModel model = ClipModel.load(clip)) {
            DatasetEmbedder.Embedded embedded = DatasetEmbedder.embed(synth, model, done -> {});
            CvaeData data = new CvaeData(
                    32,
                    synth.size(),
                    pixels,
                    16,
                    embedded.images().values(),
                    embedded.captions().values(),
                    embedded.captions().owners());
            CvaeTraining.Spec spec = new CvaeTraining.Spec(
                    CvaePreset.TINY_32,
                    ConditioningMode.IMAGE,
                    TrainingSettings.defaults().withEpochs(1).withBatchSize(16),
                    CLIP_ID,
                    "tiny-synth");
            CvaeTraining.Outcome outcome =
                    CvaeTraining.train(data, spec, root.resolve("work"), new CvaeTraining.Listener() {});
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
        return copy(decoder, "decoder-" + modelId, "model.json", DECODER_ID, modelId);
    }

    /** A copy of the decoder under another model id whose card says it was trained against another CLIP. */
    public Path decoderCopyFor(String modelId, String clipModelId) {
        Path copy = decoderCopy(modelId);
        Path card = copy.resolve("model.json");
        try {
            Files.writeString(
                    card,
                    Files.readString(card)
                            .replace(
                                    "\"clipModelId\" : \"" + CLIP_ID + "\"",
                                    "\"clipModelId\" : \"" + clipModelId + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** A copy of the decoder under another model id whose card asks for condition noise {@code xi}. */
    public Path decoderCopyWithConditionNoise(String modelId, double xi) {
        Path copy = decoderCopy(modelId);
        Path card = copy.resolve("model.json");
        try {
            String before = Files.readString(card);
            String after = before.replaceFirst("\"conditionNoise\" : [0-9.Ee-]+", "\"conditionNoise\" : " + xi);
            if (after.equals(before) && !before.contains("\"conditionNoise\" : " + xi)) {
                throw new IllegalStateException(card + " has no conditionNoise to set");
            }
            Files.writeString(card, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /**
     * A tiny prior trained on the tiny CLIP's embeddings of the snapshot, once per id: another {@code seed} gives
     * other weights, so two priors draw different conditions for one seed.
     */
    public synchronized Path prior(String modelId, long seed) {
        Path out = root.resolve("prior-" + modelId);
        if (Files.isDirectory(out)) {
            return out;
        }
        try (ClipModel model = ClipModel.load(clip)) {
            DatasetEmbedder.Embedded embedded = DatasetEmbedder.embed(Snapshot.read(snapshot), model, done -> {});
            int dimension = model.dimension();
            PriorTraining.train(
                    new PriorTraining.Pairs(
                            dimension,
                            embedded.images().values().length / dimension,
                            embedded.images().values(),
                            embedded.captions().values(),
                            embedded.captions().owners()),
                    new PriorTraining.Settings(3, 32, 1e-3f, 3, 32, 1, 4, 0.1, seed, 1),
                    modelId,
                    CLIP_ID,
                    "tiny-synth",
                    out,
                    new PriorTraining.Listener() {});
        }
        return out;
    }

    /** The tiny decoder under another id, drawing through {@code prior} (its card names the prior). */
    public synchronized Path decoderWithPrior(String modelId, Path prior) {
        Path out = root.resolve("decoder-" + modelId);
        if (!Files.isDirectory(out)) {
            DecoderPairing.pair(decoder, prior, modelId, out);
        }
        return out;
    }

    /** A copy of the CLIP model under another model id (same weights), e.g. to stand in as a judge. */
    public Path clipCopy(String modelId) {
        return copy(clip, "clip-" + modelId, "clip.json", CLIP_ID, modelId);
    }

    private Path copy(Path model, String name, String cardFile, String oldId, String newId) {
        Path copy = root.resolve(name);
        try {
            if (!Files.exists(copy)) {
                try (var files = Files.walk(model)) {
                    for (Path source : files.toList()) {
                        Path target = copy.resolve(model.relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(source, target);
                        }
                    }
                }
                Path card = copy.resolve(cardFile);
                Files.writeString(card, Files.readString(card).replace("\"" + oldId + "\"", "\"" + newId + "\""));
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
