package dev.meadow.model.judge;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.Json;
import dev.meadow.image.ImageArrays;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * An exported scene judge: a CNN trained on renders whose scene graph is known, that reads a picture's objects
 * (animals, their kind and count, a barn, mountains, ...) one softmax head per attribute. Pictures of any size are
 * brought to the judge's. Thread-safe.
 */
public final class SceneJudge implements AutoCloseable {

    /** Every run of the graph reads exactly this many pictures (the last chunk padded), so a reading never depends on the batch. */
    static final int RUN_SIZE = 64;

    /** An attribute the judge reads, and the values it tells apart (in the order of its logits). */
    public record Head(String name, List<String> labels) {

        public Head {
            if (name == null || !name.matches("[a-zA-Z][a-zA-Z0-9]*")) {
                throw new IllegalArgumentException("a head's name must be a word, not " + name);
            }
            if (labels == null || labels.size() < 2) {
                throw new IllegalArgumentException("head " + name + " needs at least two labels");
            }
            labels = List.copyOf(labels);
        }
    }

    private final SceneJudgeCard card;
    private final SavedModelBundle bundle;
    private final SessionFunction judge;

    private SceneJudge(SceneJudgeCard card, SavedModelBundle bundle) {
        this.card = card;
        this.bundle = bundle;
        this.judge = bundle.function(SceneJudgeGraph.SIGNATURE);
    }

    public static SceneJudge load(Path directory) {
        return load(directory, 0);
    }

    /** Loads and checks a scene judge directory; anything wrong with it is an {@link InvalidModelException}. */
    public static SceneJudge load(Path directory, int threads) {
        SceneJudgeCard card = readCard(directory);
        ModelFiles.verify(directory, card.files());
        SavedModelBundle bundle = SavedModels.open(directory, threads);
        try {
            Signature signature = bundle.signatures().stream()
                    .filter(s -> s.key().equals(SceneJudgeGraph.SIGNATURE))
                    .findFirst()
                    .orElseThrow(() -> new InvalidModelException(
                            directory + " has no '" + SceneJudgeGraph.SIGNATURE + "' signature"));
            if (!signature.getOutputs().containsKey("logits")
                    || !signature.getInputs().containsKey("pixel_values")) {
                throw new InvalidModelException(directory + ": the judge signature must be pixel_values -> logits");
            }
            long[] logits = signature.getOutputs().get("logits").shape.asArray();
            int outputs = card.heads().stream().mapToInt(h -> h.labels().size()).sum();
            if (logits.length != 2 || logits[1] != outputs) {
                throw new InvalidModelException(
                        directory + ": the SavedModel's logits do not match " + SceneJudgeCard.FILE_NAME + "'s heads");
            }
            return new SceneJudge(card, bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** Reads {@code scene-judge.json}, refusing directories that hold something else. */
    public static SceneJudgeCard readCard(Path directory) {
        Path file = directory.resolve(SceneJudgeCard.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(
                    directory + " is not a Meadow scene judge: " + SceneJudgeCard.FILE_NAME + " is missing");
        }
        SceneJudgeCard card;
        try {
            card = Json.mapper().readValue(file.toFile(), SceneJudgeCard.class);
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not a valid scene judge card: " + e.getMessage(), e);
        }
        if (!SceneJudgeCard.FORMAT.equals(card.format()) || card.formatVersion() != SceneJudgeCard.FORMAT_VERSION) {
            throw new InvalidModelException(directory + " holds a '" + card.format() + "' version "
                    + card.formatVersion() + ", not a Meadow scene judge version " + SceneJudgeCard.FORMAT_VERSION);
        }
        return card;
    }

    public SceneJudgeCard card() {
        return card;
    }

    public String modelId() {
        return card.modelId();
    }

    public List<Head> heads() {
        return card.heads().stream().map(SceneJudgeCard.HeadCard::head).toList();
    }

    /** Per picture, each head's reading: head name to label. */
    public List<Map<String, String>> judge(List<BufferedImage> pictures) {
        int size = card.imageSize();
        float[] pixels = new float[pictures.size() * size * size * 3];
        for (int i = 0; i < pictures.size(); i++) {
            BufferedImage picture = pictures.get(i);
            ImageArrays.toFloats(
                    picture.getWidth() == size && picture.getHeight() == size
                            ? picture
                            : ImageArrays.squareResize(picture, size),
                    pixels,
                    i * size * size * 3);
        }
        int[][] readings = read(pixels, pictures.size());
        List<Head> heads = heads();
        List<Map<String, String>> out = new ArrayList<>(pictures.size());
        for (int[] reading : readings) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (int h = 0; h < heads.size(); h++) {
                labels.put(heads.get(h).name(), heads.get(h).labels().get(reading[h]));
            }
            out.add(labels);
        }
        return out;
    }

    /** {@code [picture][head]}: the index of each head's most likely label, for {@code n} pictures in [0, 1]. */
    int[][] read(float[] pixels, int n) {
        int size = card.imageSize();
        int stride = size * size * 3;
        int[][] out = new int[n][];
        List<Head> heads = heads();
        int outputs = heads.stream().mapToInt(h -> h.labels().size()).sum();
        for (int start = 0; start < n; start += RUN_SIZE) {
            int rows = Math.min(RUN_SIZE, n - start);
            float[] run = new float[RUN_SIZE * stride];
            System.arraycopy(pixels, start * stride, run, 0, rows * stride);
            try (TFloat32 input = Tensors.floats(run, RUN_SIZE, size, size, 3);
                    Result result = judge.call(Map.<String, Tensor>of("pixel_values", input))) {
                float[] logits = Tensors.read((TFloat32) result.get("logits").orElseThrow());
                for (int r = 0; r < rows; r++) {
                    out[start + r] = argmaxPerHead(logits, r * outputs, heads);
                }
            }
        }
        return out;
    }

    static int[] argmaxPerHead(float[] logits, int offset, List<Head> heads) {
        int[] best = new int[heads.size()];
        int at = offset;
        for (int h = 0; h < heads.size(); h++) {
            int labels = heads.get(h).labels().size();
            int arg = 0;
            for (int k = 1; k < labels; k++) {
                if (logits[at + k] > logits[at + arg]) {
                    arg = k;
                }
            }
            best[h] = arg;
            at += labels;
        }
        return best;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
