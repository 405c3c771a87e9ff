package dev.meadow.model.cvae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.files.Directories;
import dev.meadow.model.tf.Precision;
import dev.meadow.model.tf.Tensors;
import dev.meadow.model.tf.TfConfig;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Measures a preset's training and decoding speed on this machine with synthetic inputs (speed does not depend on
 * the weights). Not a test: run it through {@code meadow bench models}.
 */
public final class CvaeBenchmark {

    private static final int WARM_UP_DECODES = 3;

    /** Training images per second at {@code trainBatch}; decoded images per second at {@code decodeBatch}. */
    public record Result(
            String preset,
            long parameters,
            int trainBatch,
            double trainImagesPerSecond,
            int decodeBatch,
            double decodeImagesPerSecond) {}

    private CvaeBenchmark() {}

    /**
     * The machine's practical limit for this stack: GFLOP/s of an {@code n x n} matrix product through TensorFlow,
     * in {@code precision}, in this process and with its settings, timed for at least {@code seconds} after a
     * warm-up.
     */
    public static double matMulGflops(int n, int threads, double seconds, Precision precision) {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[n * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            // Fetch one number, not the product: what is timed is the multiplication, not copying its result out.
            Operand<TFloat32> checksum = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
            try (Session session = new Session(graph, TfConfig.inference(threads, precision));
                    TFloat32 left = Tensors.floats(values, n, n);
                    TFloat32 right = Tensors.floats(values, n, n)) {
                Runnable once = () -> {
                    try (org.tensorflow.Result r = session.runner()
                            .feed(a, left)
                            .feed(b, right)
                            .fetch(checksum)
                            .run()) {
                        r.get(0);
                    }
                };
                once.run();
                once.run();
                int runs = 0;
                long start = System.nanoTime();
                long elapsed;
                do {
                    once.run();
                    runs++;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < seconds * 1e9);
                return runs * 2.0 * n * n * n / elapsed;
            }
        }
    }

    public static Result run(
            CvaePreset preset,
            int conditionDim,
            int trainBatch,
            int trainSteps,
            int decodeBatch,
            int decodeBatches,
            int threads,
            Precision precision) {
        SplittableRandom random = new SplittableRandom(1);
        int s = preset.imageSize();
        int n = trainBatch;
        float[] pixels = new float[n * s * s * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        float[] embeddings = ConditionSource.unitRows(n, conditionDim, random);
        CvaeData data = new CvaeData(s, n, pixels, conditionDim, embeddings, embeddings.clone(), range(n));
        TrainingSettings settings =
                TrainingSettings.defaults().withBatchSize(trainBatch).withThreads(threads);
        int[] all = range(n);
        Path dir;
        try {
            dir = Files.createTempDirectory("meadow-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            double trainRate;
            long parameters;
            try (CvaeTrainer trainer = new CvaeTrainer(preset, conditionDim, settings)) {
                parameters = trainer.trainableParameters();
                trainer.trainEpoch(data, all, ConditioningMode.IMAGE, 0, StepListener.NONE); // warm-up
                long start = System.nanoTime();
                for (int step = 1; step <= trainSteps; step++) {
                    trainer.trainEpoch(data, all, ConditioningMode.IMAGE, step, StepListener.NONE);
                }
                trainRate = trainSteps * (double) trainBatch / ((System.nanoTime() - start) / 1e9);
                trainer.save(dir.resolve("ckpt"));
            }
            Path model = dir.resolve("model");
            DecoderExport.export(dir.resolve("ckpt"), preset, conditionDim, model);
            DecoderExport.writeCard(
                    model,
                    new DecoderCard(
                            DecoderCard.FORMAT,
                            DecoderCard.FORMAT_VERSION,
                            "bench",
                            preset.name(),
                            s,
                            preset.latentDim(),
                            conditionDim,
                            "bench",
                            ConditioningMode.IMAGE,
                            settings,
                            "random",
                            n,
                            0,
                            0,
                            null,
                            java.util.List.of(),
                            parameters,
                            null,
                            java.time.Instant.now(),
                            null,
                            0.0,
                            null));
            double decodeRate;
            try (Decoder decoder = Decoder.load(model, threads, precision)) {
                float[] conditions = ConditionSource.unitRows(decodeBatch, conditionDim, random);
                long[] seeds = new long[decodeBatch];
                for (int i = 0; i < decodeBatch; i++) {
                    seeds[i] = i;
                }
                // oneDNN creates its primitives on the first runs, bf16's slower to settle than fp32's.
                for (int b = 0; b < WARM_UP_DECODES; b++) {
                    decoder.decode(conditions, seeds);
                }
                long start = System.nanoTime();
                for (int b = 0; b < decodeBatches; b++) {
                    decoder.decode(conditions, seeds);
                }
                decodeRate = decodeBatches * (double) decodeBatch / ((System.nanoTime() - start) / 1e9);
            }
            return new Result(preset.name(), parameters, trainBatch, trainRate, decodeBatch, decodeRate);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
