package dev.meadow.model.cvae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.files.Directories;

/**
 * Measures a preset's training and decoding speed on this machine with synthetic inputs (speed does not depend on
 * the weights). Not a test: run it through {@code meadow bench models}.
 */
public final class CvaeBenchmark {

    /** Training images per second at {@code trainBatch}; decoded images per second at {@code decodeBatch}. */
    public record Result(
            String preset,
            long parameters,
            int trainBatch,
            double trainImagesPerSecond,
            int decodeBatch,
            double decodeImagesPerSecond) {}

    private CvaeBenchmark() {}

    public static Result run(
            CvaePreset preset,
            int conditionDim,
            int trainBatch,
            int trainSteps,
            int decodeBatch,
            int decodeBatches,
            int threads) {
        SplittableRandom random = new SplittableRandom(1);
        int s = preset.imageSize();
        int n = trainBatch;
        float[] pixels = new float[n * s * s * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        float[] embeddings = unitRows(n, conditionDim, random);
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
                            java.time.Instant.now()));
            double decodeRate;
            try (Decoder decoder = Decoder.load(model, threads)) {
                float[] conditions = unitRows(decodeBatch, conditionDim, random);
                long[] seeds = new long[decodeBatch];
                for (int i = 0; i < decodeBatch; i++) {
                    seeds[i] = i;
                }
                decoder.decode(conditions, seeds); // warm-up
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

    private static float[] unitRows(int n, int d, SplittableRandom random) {
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                v[i * d + k] = (float) ConditionSource.gaussian(random);
                norm += v[i * d + k] * v[i * d + k];
            }
            for (int k = 0; k < d; k++) {
                v[i * d + k] /= (float) Math.sqrt(norm);
            }
        }
        return v;
    }
}
