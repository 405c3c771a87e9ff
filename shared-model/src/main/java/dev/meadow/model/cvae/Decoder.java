package dev.meadow.model.cvae;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.meadow.contracts.Checks;
import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.Json;
import dev.meadow.image.ImageArrays;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.prior.Prior;
import dev.meadow.model.tf.Precision;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * An exported CVAE decoder: turns (condition embedding, seed) pairs into images. Each image's latent, and its
 * condition's noise where the decoder's card asks for some (or its condition, drawn from a prior where the decoder has
 * one), are drawn from its own seed, so an image never depends on the batch it was decoded in. Thread-safe.
 */
public final class Decoder implements AutoCloseable {

    /**
     * Every run of the graph decodes exactly this many rows (the last chunk padded): TensorFlow's kernels block
     * their work by batch size, so only a fixed size makes an image independent of what it was batched with.
     */
    public static final int RUN_SIZE = 64;

    private final Path directory;
    private final DecoderCard card;
    private final SavedModelBundle bundle;
    private final Precision precision;
    private final SessionFunction decode;
    private final Prior prior;
    private final boolean ownsBundle;

    private Decoder(
            Path directory,
            DecoderCard card,
            SavedModelBundle bundle,
            Precision precision,
            Prior prior,
            boolean ownsBundle) {
        this.directory = directory;
        this.card = card;
        this.bundle = bundle;
        this.precision = precision;
        this.decode = bundle.function(DecoderExport.SIGNATURE);
        this.prior = prior;
        this.ownsBundle = ownsBundle;
    }

    /**
     * This decoder drawing each picture's condition from {@code prior}, with the picture's own seed, wherever its
     * sampling asks for the prior (the default): a view that shares this decoder's graph and must not outlive it;
     * closing the view closes neither the decoder nor the prior.
     *
     * @throws InvalidModelException when the prior draws embeddings of another CLIP or of another size, or when the
     *     decoder was trained on text embeddings only (a prior draws image embeddings)
     */
    public Decoder withPrior(Prior prior) {
        if (card.conditioning() == ConditioningMode.TEXT) {
            throw new InvalidModelException("decoder " + card.modelId() + " was trained on text embeddings; a prior"
                    + " draws image embeddings for decoders trained on them");
        }
        if (!prior.clipModelId().equals(card.clipModelId())) {
            throw new InvalidModelException("prior " + prior.modelId() + " draws embeddings of CLIP "
                    + prior.clipModelId() + ", decoder " + card.modelId() + " was trained on CLIP "
                    + card.clipModelId());
        }
        if (prior.card().dimension() != card.conditionDim()) {
            throw new InvalidModelException(
                    "prior " + prior.modelId() + " draws " + prior.card().dimension() + " values, decoder "
                            + card.modelId() + " takes " + card.conditionDim());
        }
        return new Decoder(directory, card, bundle, precision, prior, false);
    }

    /** The prior this decoder draws its conditions from, or null. */
    public Prior prior() {
        return prior;
    }

    /** Loads and checks a decoder directory; anything wrong with it is an {@link InvalidModelException}. */
    public static Decoder load(Path directory) {
        return load(directory, 0);
    }

    /** In fp32, the reference. */
    public static Decoder load(Path directory, int threads) {
        return load(directory, threads, Precision.FP32);
    }

    /** {@code precision} {@link Precision#AUTO} takes bf16 where this CPU computes it natively. */
    public static Decoder load(Path directory, int threads, Precision precision) {
        DecoderCard card = readCard(directory);
        ModelFiles.verify(directory, card.files());
        Precision resolved = precision.resolve();
        SavedModelBundle bundle = SavedModels.open(directory, threads, resolved);
        try {
            checkSignature(directory, card, bundle);
            return new Decoder(directory, card, bundle, resolved, null, true);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** Reads {@code model.json}, refusing directories that hold something other than a Meadow decoder. */
    public static DecoderCard readCard(Path directory) {
        Path cardFile = directory.resolve(DecoderCard.FILE_NAME);
        if (!Files.isDirectory(directory)) {
            throw new InvalidModelException(directory + " is not a directory");
        }
        if (!Files.isRegularFile(cardFile)) {
            throw new InvalidModelException(directory + " is not a Meadow decoder: " + DecoderCard.FILE_NAME
                    + " is missing" + (Files.exists(directory.resolve("clip.json")) ? " (it is a CLIP model)" : ""));
        }
        DecoderCard card;
        try {
            card = Json.mapper().readValue(cardFile.toFile(), DecoderCard.class);
        } catch (IOException e) {
            throw new InvalidModelException(cardFile + " is not a valid model card: " + e.getMessage(), e);
        }
        if (!DecoderCard.FORMAT.equals(card.format())) {
            throw new InvalidModelException(directory + " holds a '" + card.format() + "', not a Meadow decoder");
        }
        if (card.formatVersion() != DecoderCard.FORMAT_VERSION) {
            throw new InvalidModelException(
                    directory + ": decoder format version " + card.formatVersion() + " is not supported");
        }
        try {
            ConditionNoise.check(card.conditionNoise().floatValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(cardFile + ": " + e.getMessage(), e);
        }
        // The prior is looked up, and offline found on disk, by this id: ../x must lead nowhere.
        if (card.priorModelId() != null
                && !Checks.ID.matcher(card.priorModelId()).matches()) {
            throw new InvalidModelException(
                    cardFile + ": priorModelId '" + card.priorModelId() + "' is not a model id");
        }
        return card;
    }

    private static void checkSignature(Path directory, DecoderCard card, SavedModelBundle bundle) {
        Signature signature = bundle.signatures().stream()
                .filter(s -> s.key().equals(DecoderExport.SIGNATURE))
                .findFirst()
                .orElseThrow(() ->
                        new InvalidModelException(directory + " has no '" + DecoderExport.SIGNATURE + "' signature"));
        var inputs = signature.getInputs();
        var outputs = signature.getOutputs();
        if (!inputs.containsKey("z") || !inputs.containsKey("condition") || !outputs.containsKey("image")) {
            throw new InvalidModelException(directory + ": the decode signature must be (z, condition) -> image");
        }
        long[] z = inputs.get("z").shape.asArray();
        long[] condition = inputs.get("condition").shape.asArray();
        long[] image = outputs.get("image").shape.asArray();
        if (z.length != 2
                || z[1] != card.latentDim()
                || condition.length != 2
                || condition[1] != card.conditionDim()
                || image.length != 4
                || image[1] != card.imageSize()
                || image[3] != 3) {
            throw new InvalidModelException(directory + ": the SavedModel's shapes do not match model.json");
        }
    }

    /** fp32 or bf16: what this decoder runs in. */
    public Precision precision() {
        return precision;
    }

    public DecoderCard card() {
        return card;
    }

    public Path directory() {
        return directory;
    }

    public int imageSize() {
        return card.imageSize();
    }

    public int conditionDim() {
        return card.conditionDim();
    }

    /** How this decoder draws unless told otherwise: the latent as trained, the condition noise its card names. */
    public Sampling sampling() {
        return new Sampling(1f, card.conditionNoise().floatValue());
    }

    /** {@link #sampling()} with {@code conditionNoise} in place of the card's, unless it is null. */
    public Sampling sampling(Float conditionNoise) {
        return conditionNoise == null ? sampling() : sampling().withConditionNoise(conditionNoise);
    }

    /** The latent drawn from {@code seed}: standard normal, the same on every machine. */
    public static float[] latent(long seed, int dimension) {
        Random random = new Random(seed);
        float[] z = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return z;
    }

    /**
     * Decodes {@code seeds.length} images as this decoder draws ({@link #sampling()}); {@code conditions} holds
     * their condition embeddings one after another. Returns {@code N x H x W x 3} values in [0, 1].
     */
    public float[] decode(float[] conditions, long[] seeds) {
        return decode(conditions, seeds, sampling());
    }

    /** {@link #decode(float[], long[])}, drawn as {@code sampling} says. */
    public float[] decode(float[] conditions, long[] seeds, Sampling sampling) {
        int n = seeds.length;
        int latentDim = card.latentDim();
        int dim = card.conditionDim();
        if (conditions.length != n * dim) {
            throw new IllegalArgumentException(
                    "expected " + n + " conditions of " + dim + " values, got " + conditions.length + " values");
        }
        float[] z = new float[n * latentDim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(latent(seeds[i], latentDim), 0, z, i * latentDim, latentDim);
        }
        if (sampling.temperature() != 1f) {
            for (int i = 0; i < z.length; i++) {
                z[i] *= sampling.temperature();
            }
        }
        float[] drawn = conditions;
        if (prior != null && sampling.prior()) {
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = Arrays.copyOfRange(conditions, i * dim, (i + 1) * dim);
            }
            float[][] drawnRows = prior.draw(rows, seeds);
            drawn = new float[conditions.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(drawnRows[i], 0, drawn, i * dim, dim);
            }
        } else if (sampling.conditionNoise() > 0) {
            drawn = new float[conditions.length];
            for (int i = 0; i < n; i++) {
                float[] row = Arrays.copyOfRange(conditions, i * dim, (i + 1) * dim);
                System.arraycopy(
                        ConditionNoise.perturb(row, sampling.conditionNoise(), seeds[i]), 0, drawn, i * dim, dim);
            }
        }
        return decodeLatents(drawn, z, n);
    }

    /** Decodes given latents with the conditions as given, for interpolation and tests. */
    public float[] decodeLatents(float[] conditions, float[] z, int n) {
        int latent = card.latentDim();
        int dim = card.conditionDim();
        int pixels = card.imageSize() * card.imageSize() * 3;
        float[] out = new float[n * pixels];
        for (int start = 0; start < n; start += RUN_SIZE) {
            int rows = Math.min(RUN_SIZE, n - start);
            float[] zRun = new float[RUN_SIZE * latent];
            float[] cRun = new float[RUN_SIZE * dim];
            System.arraycopy(z, start * latent, zRun, 0, rows * latent);
            System.arraycopy(conditions, start * dim, cRun, 0, rows * dim);
            try (TFloat32 zTensor = Tensors.floats(zRun, RUN_SIZE, latent);
                    TFloat32 cTensor = Tensors.floats(cRun, RUN_SIZE, dim);
                    Result result = decode.call(Map.<String, Tensor>of("z", zTensor, "condition", cTensor))) {
                float[] images = Tensors.read((TFloat32) result.get("image").orElseThrow());
                System.arraycopy(images, 0, out, start * pixels, rows * pixels);
            }
        }
        return out;
    }

    /** {@link #decode}, as pictures. */
    public List<BufferedImage> decodeImages(float[] conditions, long[] seeds) {
        return decodeImages(conditions, seeds, sampling());
    }

    /** {@link #decode(float[], long[], Sampling)}, as pictures. */
    public List<BufferedImage> decodeImages(float[] conditions, long[] seeds, Sampling sampling) {
        float[] pixels = decode(conditions, seeds, sampling);
        int s = card.imageSize();
        List<BufferedImage> images = new ArrayList<>(seeds.length);
        for (int i = 0; i < seeds.length; i++) {
            images.add(ImageArrays.fromFloats(pixels, i * s * s * 3, s, s));
        }
        return images;
    }

    /** {@link #decodeImages(float[], long[])} with one condition row per image. */
    public List<BufferedImage> decodeImages(float[][] conditions, long[] seeds) {
        return decodeImages(conditions, seeds, sampling());
    }

    /** {@link #decodeImages(float[], long[], Sampling)} with one condition row per image. */
    public List<BufferedImage> decodeImages(float[][] conditions, long[] seeds, Sampling sampling) {
        if (conditions.length != seeds.length) {
            throw new IllegalArgumentException(
                    "need one condition per seed, got " + conditions.length + " and " + seeds.length);
        }
        int dim = conditionDim();
        float[] flat = new float[conditions.length * dim];
        for (int i = 0; i < conditions.length; i++) {
            if (conditions[i].length != dim) {
                throw new IllegalArgumentException(
                        "condition " + i + " has " + conditions[i].length + " values, the decoder takes " + dim);
            }
            System.arraycopy(conditions[i], 0, flat, i * dim, dim);
        }
        return decodeImages(flat, seeds, sampling);
    }

    @Override
    public void close() {
        if (ownsBundle) {
            bundle.close();
        }
    }
}
