package dev.meadow.model.prior;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import dev.meadow.contracts.Checks;
import dev.meadow.contracts.Json;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * An exported diffusion prior: draws a CLIP image embedding for a CLIP text embedding, one per seed, as unCLIP's prior
 * does, so that a decoder trained on image embeddings is prompted with the kind of condition it was trained on and
 * each seed draws another plausible picture. The draw is a deterministic DDIM walk from a starting noise drawn from the
 * seed alone, so a seed redraws its embedding, whatever it is batched with. Thread-safe.
 */
public final class Prior implements AutoCloseable {

    /** Every run of the graph denoises exactly this many rows (the last chunk padded), so a draw never depends on its batch. */
    static final int RUN_SIZE = 64;

    private final PriorCard card;
    private final SavedModelBundle bundle;
    private final SessionFunction denoise;

    private Prior(PriorCard card, SavedModelBundle bundle) {
        this.card = card;
        this.bundle = bundle;
        this.denoise = bundle.function(PriorGraph.SIGNATURE);
    }

    public static Prior load(Path directory) {
        return load(directory, 0);
    }

    /** Loads and checks a prior directory; anything wrong with it is an {@link InvalidModelException}. */
    public static Prior load(Path directory, int threads) {
        PriorCard card = readCard(directory);
        ModelFiles.verify(directory, card.files());
        SavedModelBundle bundle = SavedModels.open(directory, threads);
        try {
            var signature = bundle.signatures().stream()
                    .filter(s -> s.key().equals(PriorGraph.SIGNATURE))
                    .findFirst()
                    .orElseThrow(() ->
                            new InvalidModelException(directory + " has no '" + PriorGraph.SIGNATURE + "' signature"));
            if (!signature.getOutputs().containsKey("predicted")
                    || !signature.getInputs().keySet().containsAll(java.util.Set.of("noised", "text", "time"))) {
                throw new InvalidModelException(
                        directory + ": the denoise signature must be (noised, text, time) -> predicted");
            }
            long[] out = signature.getOutputs().get("predicted").shape.asArray();
            if (out.length != 2 || out[1] != card.dimension()) {
                throw new InvalidModelException(
                        directory + ": the SavedModel's shapes do not match " + PriorCard.FILE_NAME);
            }
            return new Prior(card, bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** Reads {@code prior.json}, refusing directories that hold something else. */
    public static PriorCard readCard(Path directory) {
        Path file = directory.resolve(PriorCard.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(
                    directory + " is not a Meadow prior: " + PriorCard.FILE_NAME + " is missing");
        }
        PriorCard card;
        try {
            card = Json.mapper().readValue(file.toFile(), PriorCard.class);
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not a valid prior card: " + e.getMessage(), e);
        }
        if (!PriorCard.FORMAT.equals(card.format()) || card.formatVersion() != PriorCard.FORMAT_VERSION) {
            throw new InvalidModelException(directory + " holds a '" + card.format() + "' version "
                    + card.formatVersion() + ", not a Meadow prior version " + PriorCard.FORMAT_VERSION);
        }
        if (card.modelId() == null || !Checks.ID.matcher(card.modelId()).matches()) {
            throw new InvalidModelException(file + ": modelId '" + card.modelId() + "' is not a model id");
        }
        if (card.samplingSteps() < 1 || card.samplingSteps() > DiffusionSchedule.STEPS) {
            throw new InvalidModelException(file + ": sampling steps must be between 1 and " + DiffusionSchedule.STEPS);
        }
        return card;
    }

    public PriorCard card() {
        return card;
    }

    public String modelId() {
        return card.modelId();
    }

    /** The CLIP whose embeddings it reads and draws. */
    public String clipModelId() {
        return card.clipModelId();
    }

    /** One unit-length image embedding per text embedding, each drawn with its own seed. */
    public float[][] draw(float[][] texts, long[] seeds) {
        if (texts.length != seeds.length) {
            throw new IllegalArgumentException(texts.length + " text embeddings but " + seeds.length + " seeds");
        }
        int d = card.dimension();
        float[][] out = new float[texts.length][];
        for (int start = 0; start < texts.length; start += RUN_SIZE) {
            int rows = Math.min(RUN_SIZE, texts.length - start);
            float[] text = new float[RUN_SIZE * d];
            float[] x = new float[RUN_SIZE * d];
            for (int r = 0; r < rows; r++) {
                float[] row = texts[start + r];
                if (row.length != d) {
                    throw new IllegalArgumentException(
                            "text embedding " + (start + r) + " has " + row.length + " values, the prior takes " + d);
                }
                float[] scaled = scaled(unit(row), d);
                System.arraycopy(scaled, 0, text, r * d, d);
                System.arraycopy(startingNoise(seeds[start + r], d), 0, x, r * d, d);
            }
            float[] clean = walk(text, x, rows);
            for (int r = 0; r < rows; r++) {
                float[] row = new float[d];
                System.arraycopy(clean, r * d, row, 0, d);
                out[start + r] = unit(row);
            }
        }
        return out;
    }

    /** DDIM from pure noise to a clean embedding (scaled), predicting x0 at each step and projecting it on the sphere. */
    private float[] walk(float[] text, float[] x, int rows) {
        int d = card.dimension();
        int[] steps = DiffusionSchedule.samplingSteps(card.samplingSteps());
        float[] time = new float[RUN_SIZE * DiffusionSchedule.TIME_FEATURES];
        float[] x0 = null;
        for (int i = 0; i < steps.length; i++) {
            int t = steps[i];
            for (int r = 0; r < RUN_SIZE; r++) {
                DiffusionSchedule.timeFeatures(t, time, r * DiffusionSchedule.TIME_FEATURES);
            }
            try (TFloat32 noised = Tensors.floats(x, RUN_SIZE, d);
                    TFloat32 textTensor = Tensors.floats(text, RUN_SIZE, d);
                    TFloat32 timeTensor = Tensors.floats(time, RUN_SIZE, DiffusionSchedule.TIME_FEATURES);
                    Result result = denoise.call(
                            Map.<String, Tensor>of("noised", noised, "text", textTensor, "time", timeTensor))) {
                x0 = Tensors.read((TFloat32) result.get("predicted").orElseThrow());
            }
            for (int r = 0; r < rows; r++) {
                float[] row = new float[d];
                System.arraycopy(x0, r * d, row, 0, d);
                System.arraycopy(scaled(unit(row), d), 0, x0, r * d, d);
            }
            double abT = DiffusionSchedule.alphaBar(t);
            double abNext = i + 1 < steps.length ? DiffusionSchedule.alphaBar(steps[i + 1]) : 1.0;
            for (int k = 0; k < rows * d; k++) {
                double eps = (x[k] - Math.sqrt(abT) * x0[k]) / Math.sqrt(1 - abT);
                x[k] = (float) (Math.sqrt(abNext) * x0[k] + Math.sqrt(1 - abNext) * eps);
            }
        }
        return x0;
    }

    /** The starting noise of a draw: standard normal, from the seed alone (mixed, so that it is not the latent's). */
    static float[] startingNoise(long seed, int dimension) {
        Random random = new Random(seed * 0xD1B54A32D192ED03L + 0x5851F42D4C957F2DL);
        float[] x = new float[dimension];
        for (int k = 0; k < dimension; k++) {
            x[k] = (float) random.nextGaussian();
        }
        return x;
    }

    static float[] unit(float[] v) {
        double norm = 0;
        for (float value : v) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = norm == 0 ? 0 : (float) (v[k] / norm);
        }
        return out;
    }

    /** A unit embedding scaled by sqrt(dimension): about unit variance per coordinate, as the noise has. */
    static float[] scaled(float[] unit, int dimension) {
        float s = (float) Math.sqrt(dimension);
        float[] out = new float[unit.length];
        for (int k = 0; k < unit.length; k++) {
            out[k] = unit[k] * s;
        }
        return out;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
