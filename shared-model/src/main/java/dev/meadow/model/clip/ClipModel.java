package dev.meadow.model.clip;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.Json;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A CLIP model directory: a SavedModel with {@code encode_text(input_ids, attention_mask) -> text_embeds} and
 * {@code encode_image(pixel_values) -> image_embeds}, a {@code clip.json} and a {@code tokenizer.json}. Meadow's own
 * CLIP and an exported OpenAI CLIP load the same way. Embeddings come back L2-normalised. Thread-safe.
 */
public final class ClipModel implements AutoCloseable {

    public static final String ENCODE_TEXT = "encode_text";
    public static final String ENCODE_IMAGE = "encode_image";
    /**
     * Every call runs exactly this many rows (the last chunk padded): TensorFlow's kernels block their work by
     * batch size, so only a fixed size makes an embedding independent of what it was batched with.
     */
    private static final int MICRO_BATCH = 64;

    private final Path directory;
    private final ClipCard card;
    private final SavedModelBundle bundle;
    private final SessionFunction encodeText;
    private final SessionFunction encodeImage;
    private final ClipTokenizer tokenizer;
    private final ClipPreprocessing preprocessing;
    private final boolean int32Tokens;

    private ClipModel(Path directory, ClipCard card, SavedModelBundle bundle, ClipTokenizer tokenizer) {
        this.directory = directory;
        this.card = card;
        this.bundle = bundle;
        this.encodeText = bundle.function(ENCODE_TEXT);
        this.encodeImage = bundle.function(ENCODE_IMAGE);
        this.tokenizer = tokenizer;
        this.preprocessing = new ClipPreprocessing(card);
        this.int32Tokens = encodeText.signature().getInputs().get("input_ids").dataType == DataType.DT_INT32;
    }

    public static ClipModel load(Path directory) {
        return load(directory, 0);
    }

    /** Loads and checks a CLIP directory; anything wrong is an {@link InvalidModelException} saying what. */
    public static ClipModel load(Path directory, int threads) {
        ClipCard card = readCard(directory);
        if (card.files() != null && !card.files().isEmpty()) {
            ModelFiles.verify(directory, card.files());
        }
        Path tokenizerFile = directory.resolve(ClipCard.TOKENIZER);
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new InvalidModelException(directory + ": " + ClipCard.TOKENIZER + " is missing");
        }
        SavedModelBundle bundle = SavedModels.open(directory, threads);
        ClipTokenizer tokenizer = null;
        try {
            checkSignatures(directory, card, bundle);
            tokenizer = new ClipTokenizer(tokenizerFile, card.contextLength());
            return new ClipModel(directory, card, bundle, tokenizer);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            bundle.close();
            throw e instanceof InvalidModelException
                    ? e
                    : new InvalidModelException(directory + ": " + e.getMessage(), e);
        }
    }

    public static ClipCard readCard(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidModelException(directory + " is not a directory");
        }
        Path file = directory.resolve(ClipCard.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(directory + " is not a CLIP model: " + ClipCard.FILE_NAME + " is missing"
                    + (Files.exists(directory.resolve("model.json")) ? " (it is a CVAE decoder)" : ""));
        }
        ClipCard card;
        try {
            card = Json.mapper().readValue(file.toFile(), ClipCard.class);
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not a valid CLIP card: " + e.getMessage(), e);
        }
        if (!ClipCard.FORMAT.equals(card.format()) || card.formatVersion() != ClipCard.FORMAT_VERSION) {
            throw new InvalidModelException(
                    directory + ": unsupported CLIP card format " + card.format() + " v" + card.formatVersion());
        }
        if (card.modelId() == null
                || card.embeddingDimension() < 1
                || card.imageSize() < 1
                || card.contextLength() < 1) {
            throw new InvalidModelException(
                    file + " must give modelId, embeddingDimension, imageSize and " + "contextLength");
        }
        if (!ClipCard.CHANNELS_LAST.equals(card.channelLayout())
                && !ClipCard.CHANNELS_FIRST.equals(card.channelLayout())) {
            throw new InvalidModelException(file + ": channelLayout must be channels_last or channels_first");
        }
        return card;
    }

    private static void checkSignatures(Path directory, ClipCard card, SavedModelBundle bundle) {
        Signature text = signature(directory, bundle, ENCODE_TEXT);
        Signature image = signature(directory, bundle, ENCODE_IMAGE);
        if (!text.inputNames().containsAll(List.of("input_ids", "attention_mask"))
                || !text.outputNames().contains("text_embeds")) {
            throw new InvalidModelException(
                    directory + ": encode_text must take input_ids and attention_mask " + "and return text_embeds");
        }
        if (!image.inputNames().contains("pixel_values") || !image.outputNames().contains("image_embeds")) {
            throw new InvalidModelException(
                    directory + ": encode_image must take pixel_values and return " + "image_embeds");
        }
        long[] embeds = text.getOutputs().get("text_embeds").shape.asArray();
        if (embeds.length != 2 || (embeds[1] > 0 && embeds[1] != card.embeddingDimension())) {
            throw new InvalidModelException(directory + ": text_embeds is not [N, " + card.embeddingDimension() + "]");
        }
    }

    private static Signature signature(Path directory, SavedModelBundle bundle, String key) {
        return bundle.signatures().stream()
                .filter(s -> s.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new InvalidModelException(directory + " has no '" + key + "' signature"));
    }

    public ClipCard card() {
        return card;
    }

    public String modelId() {
        return card.modelId();
    }

    public int dimension() {
        return card.embeddingDimension();
    }

    public Path directory() {
        return directory;
    }

    /** L2-normalised text embeddings, one row per text. */
    public float[][] encodeText(List<String> texts) {
        float[][] out = new float[texts.size()][];
        int l = card.contextLength();
        for (int start = 0; start < texts.size(); start += MICRO_BATCH) {
            List<String> batch = texts.subList(start, Math.min(texts.size(), start + MICRO_BATCH));
            ClipTokenizer.Tokens tokens = tokenizer.encode(batch);
            // Padding rows are all-zero ids with an all-zero mask; their outputs are dropped.
            long[] ids = java.util.Arrays.copyOf(tokens.ids(), MICRO_BATCH * l);
            long[] mask = java.util.Arrays.copyOf(tokens.mask(), MICRO_BATCH * l);
            try (Tensor idTensor = tokenTensor(ids, MICRO_BATCH, l);
                    Tensor maskTensor = tokenTensor(mask, MICRO_BATCH, l);
                    Result result = encodeText.call(Map.of("input_ids", idTensor, "attention_mask", maskTensor))) {
                copyNormalised((TFloat32) result.get("text_embeds").orElseThrow(), out, start, batch.size());
            }
        }
        return out;
    }

    public float[] encodeText(String text) {
        return encodeText(List.of(text))[0];
    }

    /** L2-normalised image embeddings of pictures of any size (centre-cropped and scaled). */
    public float[][] encodeImages(List<BufferedImage> images) {
        float[][] out = new float[images.size()][];
        int values = preprocessing.valuesPerImage();
        for (int start = 0; start < images.size(); start += MICRO_BATCH) {
            int n = Math.min(MICRO_BATCH, images.size() - start);
            float[] x = new float[MICRO_BATCH * values];
            for (int k = 0; k < n; k++) {
                preprocessing.write(images.get(start + k), x, k * values);
            }
            encodePixels(x, n, out, start);
        }
        return out;
    }

    /** Image embeddings of [0, 1] RGB arrays already at {@link ClipCard#imageSize()} (N x H x W x 3). */
    public float[][] encodeImagePixels(float[] rgb, int count) {
        float[][] out = new float[count][];
        int values = preprocessing.valuesPerImage();
        for (int start = 0; start < count; start += MICRO_BATCH) {
            int n = Math.min(MICRO_BATCH, count - start);
            float[] x = new float[MICRO_BATCH * values];
            for (int k = 0; k < n; k++) {
                preprocessing.writeRgb(rgb, (start + k) * values, x, k * values);
            }
            encodePixels(x, n, out, start);
        }
        return out;
    }

    private void encodePixels(float[] x, int n, float[][] out, int start) {
        try (TFloat32 pixels = Tensors.floats(x, preprocessing.shape(MICRO_BATCH));
                Result result = encodeImage.call(Map.of("pixel_values", pixels))) {
            copyNormalised((TFloat32) result.get("image_embeds").orElseThrow(), out, start, n);
        }
    }

    private Tensor tokenTensor(long[] values, int n, int l) {
        if (!int32Tokens) {
            return Tensors.longs(values, n, l);
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = Math.toIntExact(values[i]);
        }
        return TInt32.tensorOf(Shape.of(n, l), DataBuffers.of(ints, true, false));
    }

    /** Copies the first {@code n} rows, L2-normalised. */
    private static void copyNormalised(TFloat32 embeds, float[][] out, int start, int n) {
        float[] flat = Tensors.read(embeds);
        int d = (int) embeds.shape().get(1);
        for (int i = 0; i < n; i++) {
            float[] row = new float[d];
            double norm = 0;
            for (int k = 0; k < d; k++) {
                row[k] = flat[i * d + k];
                norm += (double) row[k] * row[k];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int k = 0; k < d; k++) {
                row[k] *= inv;
            }
            out[start + i] = row;
        }
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            bundle.close();
        }
    }
}
