package dev.meadow.model.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import dev.meadow.contracts.Json;
import dev.meadow.files.Directories;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import dev.meadow.model.tf.TfConfig;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains a {@link SceneJudge} on pictures whose attributes are known, measures each head on held-out pictures (sharp
 * and blurred), and exports it with its card. Pictures are mirrored left to right at random while training: no
 * attribute depends on the side things stand on.
 */
public final class SceneJudgeTraining {

    private SceneJudgeTraining() {}

    /**
     * Pictures and their labels.
     *
     * @param pixels {@code count x size x size x 3} RGB values in [0, 1]
     * @param labels per head, per picture: the label's index, or -1 where the head does not apply
     */
    public record Pictures(float[] pixels, int count, int[][] labels) {

        public Pictures {
            for (int[] head : labels) {
                if (head.length != count) {
                    throw new IllegalArgumentException("every head needs " + count + " labels, not " + head.length);
                }
            }
        }
    }

    /**
     * @param decayAt the epoch from which the learning rate is a tenth (1-based; past {@code epochs}: never)
     */
    public record Settings(
            int imageSize, int epochs, int batchSize, float learningRate, int decayAt, long seed, int threads) {

        public Settings {
            if (epochs < 1 || batchSize < 2 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs >= 1, batch size >= 2 and a positive learning rate, please");
            }
        }
    }

    /** Hears each epoch as it finishes. */
    public interface Listener {

        default void stepDone(int epoch, int step, int steps, double loss) {}

        default void epochFinished(int epoch, double loss, double seconds) {}
    }

    /** Trains, measures on {@code test} and {@code blurredTest} (the same pictures, blurred), exports to {@code out}. */
    public static SceneJudgeCard train(
            List<SceneJudge.Head> heads,
            Pictures train,
            Pictures test,
            Pictures blurredTest,
            Settings settings,
            String modelId,
            Path out,
            Listener listener) {
        if (train.count() < settings.batchSize()) {
            throw new IllegalArgumentException(
                    "only " + train.count() + " training pictures for batch size " + settings.batchSize());
        }
        if (train.labels().length != heads.size() || test.labels().length != heads.size()) {
            throw new IllegalArgumentException("labels for " + heads.size() + " heads, please");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("meadow-scene-judge-");
            Path checkpoint = work.resolve("ckpt");
            double[][] accuracy;
            try (SceneJudgeGraph graph = new SceneJudgeGraph(settings.imageSize(), heads, settings.seed(), true);
                    Session session = new Session(graph.graph, TfConfig.threads(settings.threads()))) {
                session.initialize();
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    long started = System.nanoTime();
                    double loss = epoch(session, graph, train, settings, epoch, listener);
                    listener.epochFinished(epoch, loss, (System.nanoTime() - started) / 1e9);
                }
                accuracy = new double[][] {
                    accuracy(session, graph, test, heads, settings.imageSize()),
                    accuracy(session, graph, blurredTest, heads, settings.imageSize())
                };
                session.save(checkpoint.toString());
            }
            export(checkpoint, heads, settings, out);
            List<SceneJudgeCard.HeadCard> headCards = new ArrayList<>();
            for (int h = 0; h < heads.size(); h++) {
                headCards.add(new SceneJudgeCard.HeadCard(
                        heads.get(h).name(), heads.get(h).labels(), accuracy[0][h], accuracy[1][h]));
            }
            SceneJudgeCard card = new SceneJudgeCard(
                    SceneJudgeCard.FORMAT,
                    SceneJudgeCard.FORMAT_VERSION,
                    modelId,
                    settings.imageSize(),
                    headCards,
                    train.count(),
                    test.count(),
                    settings.epochs(),
                    settings.seed(),
                    ModelFiles.checksums(out, Set.of(SceneJudgeCard.FILE_NAME)),
                    Instant.now());
            Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(out.resolve(SceneJudgeCard.FILE_NAME).toFile(), card);
            return card;
        } catch (IOException e) {
            throw new UncheckedIOException("scene judge training failed to write its files", e);
        } finally {
            if (work != null) {
                Directories.deleteRecursively(work);
            }
        }
    }

    private static double epoch(
            Session session, SceneJudgeGraph graph, Pictures train, Settings settings, int epoch, Listener listener) {
        int n = train.count();
        int size = settings.imageSize();
        int stride = size * size * 3;
        int batch = settings.batchSize();
        int steps = n / batch;
        SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float rate = epoch >= settings.decayAt() ? settings.learningRate() / 10 : settings.learningRate();
        float[] x = new float[batch * stride];
        int[][] y = new int[train.labels().length][batch];
        double sum = 0;
        for (int step = 0; step < steps; step++) {
            for (int k = 0; k < batch; k++) {
                int picture = order[step * batch + k];
                if (random.nextBoolean()) {
                    mirror(train.pixels(), picture * stride, x, k * stride, size);
                } else {
                    System.arraycopy(train.pixels(), picture * stride, x, k * stride, stride);
                }
                for (int h = 0; h < y.length; h++) {
                    y[h][k] = train.labels()[h][picture];
                }
            }
            List<AutoCloseable> tensors = new ArrayList<>();
            try {
                var runner = session.runner();
                TFloat32 pixels = Tensors.floats(x, batch, size, size, 3);
                tensors.add(pixels);
                TFloat32 lr = TFloat32.scalarOf(rate);
                tensors.add(lr);
                runner.feed(graph.pixels, pixels).feed(graph.learningRate, lr);
                for (int h = 0; h < y.length; h++) {
                    TInt32 labels = TInt32.vectorOf(y[h]);
                    tensors.add(labels);
                    runner.feed(graph.labels.get(h), labels);
                }
                try (Result result =
                        runner.addTarget(graph.trainStep).fetch(graph.loss).run()) {
                    double loss = ((TFloat32) result.get(0)).getFloat();
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("scene judge training diverged at epoch " + epoch);
                    }
                    sum += loss;
                    listener.stepDone(epoch, step + 1, steps, loss);
                }
            } finally {
                for (AutoCloseable tensor : tensors) {
                    try {
                        tensor.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return sum / steps;
    }

    private static void mirror(float[] from, int fromOffset, float[] to, int toOffset, int size) {
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                int source = fromOffset + (row * size + col) * 3;
                int target = toOffset + (row * size + size - 1 - col) * 3;
                to[target] = from[source];
                to[target + 1] = from[source + 1];
                to[target + 2] = from[source + 2];
            }
        }
    }

    /** Per head: the share of the pictures it applies to that it reads right. */
    private static double[] accuracy(
            Session session, SceneJudgeGraph graph, Pictures test, List<SceneJudge.Head> heads, int size) {
        int stride = size * size * 3;
        int[] right = new int[heads.size()];
        int[] applicable = new int[heads.size()];
        int chunk = SceneJudge.RUN_SIZE;
        for (int start = 0; start < test.count(); start += chunk) {
            int rows = Math.min(chunk, test.count() - start);
            try (TFloat32 pixels = Tensors.floatsAt(test.pixels(), start * stride, rows, size, size, 3);
                    Result result = session.runner()
                            .feed(graph.pixels, pixels)
                            .fetch(graph.logits)
                            .run()) {
                float[] logits = Tensors.read((TFloat32) result.get(0));
                int outputs = logits.length / rows;
                for (int r = 0; r < rows; r++) {
                    int[] read = SceneJudge.argmaxPerHead(logits, r * outputs, heads);
                    for (int h = 0; h < heads.size(); h++) {
                        int truth = test.labels()[h][start + r];
                        if (truth >= 0) {
                            applicable[h]++;
                            if (read[h] == truth) {
                                right[h]++;
                            }
                        }
                    }
                }
            }
        }
        double[] out = new double[heads.size()];
        for (int h = 0; h < heads.size(); h++) {
            out[h] = applicable[h] == 0 ? Double.NaN : (double) right[h] / applicable[h];
        }
        return out;
    }

    private static void export(Path checkpoint, List<SceneJudge.Head> heads, Settings settings, Path out)
            throws IOException {
        try (SceneJudgeGraph graph = new SceneJudgeGraph(settings.imageSize(), heads, settings.seed(), false);
                Session session = new Session(graph.graph)) {
            session.restore(checkpoint.toString());
            SavedModels.export(
                    session,
                    out,
                    Signature.builder()
                            .key(SceneJudgeGraph.SIGNATURE)
                            .input("pixel_values", graph.pixels)
                            .output("logits", graph.logits)
                            .build());
        }
    }
}
