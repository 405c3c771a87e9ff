package dev.meadow.model.clip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.tensorflow.types.TInt64;

/**
 * Trains Meadow's own CLIP on captioned images and exports it under the same contract as an OpenAI CLIP export:
 * a SavedModel with {@code encode_text} and {@code encode_image}, {@code clip.json} and {@code tokenizer.json}.
 */
public final class MeadowClipTraining {

    /** {@code clip.json}'s source for a CLIP this class trained. */
    static final String SOURCE = "meadow-clip";

    static final List<Double> MEAN = List.of(0.5, 0.5, 0.5);
    static final List<Double> STD = List.of(0.25, 0.25, 0.25);

    private MeadowClipTraining() {}

    /** Hears each epoch's mean loss and held-out retrieval. */
    public interface Listener {

        default void epochStarted(int epoch, int epochs, int steps) {}

        default void stepDone(int step, int steps, double loss) {}

        default void epochFinished(EpochResult result) {}
    }

    /** One epoch: mean contrastive loss and text-to-image retrieval on the held-out pairs. */
    public record EpochResult(int epoch, double loss, double recallAt1, double recallAt5, double seconds) {}

    /** The exported model's card and the training history. */
    public record Outcome(ClipCard card, List<EpochResult> history) {}

    /**
     * @param pixels {@code N x size x size x 3} RGB values in [0, 1], at {@code settings.imageSize()}
     * @param captions the captions of each image; the first caption of a held-out image is its retrieval query
     */
    public static Outcome train(
            float[] pixels,
            List<List<String>> captions,
            ClipTrainingSettings settings,
            String modelId,
            Path outputDir,
            Listener listener) {
        settings.validate();
        int n = captions.size();
        int size = settings.imageSize();
        int stride = size * size * 3;
        if (pixels.length != (long) n * stride) {
            throw new IllegalArgumentException("expected " + n + " images of " + size + "x" + size);
        }
        int heldOut = Math.min(settings.heldOutPairs(), n / 5);
        int[][] split = split(n, heldOut, settings.seed());
        int[] train = split[0];
        int[] test = split[1];
        if (train.length < settings.batchSize()) {
            throw new IllegalArgumentException(
                    "only " + train.length + " training images for batch size " + settings.batchSize());
        }
        try {
            Path work = Files.createTempDirectory("meadow-clip-");
            Path tokenizerFile = work.resolve(ClipCard.TOKENIZER);
            List<String> trainingCaptions = new ArrayList<>();
            for (int i : train) {
                trainingCaptions.addAll(captions.get(i));
            }
            int vocabulary = ClipTokenizerBuilder.write(trainingCaptions, settings.minWordCount(), tokenizerFile);
            ClipCard draft = card(modelId, settings, Map.of(), Map.of());
            ClipPreprocessing preprocessing = new ClipPreprocessing(draft);
            float[] normalised = new float[pixels.length];
            for (int i = 0; i < n; i++) {
                preprocessing.writeRgb(pixels, i * stride, normalised, i * stride);
            }
            List<EpochResult> history = new ArrayList<>();
            Path checkpoint = work.resolve("ckpt");
            try (ClipTokenizer tokenizer = new ClipTokenizer(tokenizerFile, settings.contextLength());
                    ClipTrainingGraph graph = new ClipTrainingGraph(vocabulary, settings, true);
                    Session session = new Session(graph.graph, TfConfig.threads(settings.threads()))) {
                session.initialize();
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    long start = System.nanoTime();
                    double loss = trainEpoch(
                            session, graph, tokenizer, normalised, captions, train, settings, epoch, listener);
                    double[] recall = evaluate(session, graph, tokenizer, normalised, captions, test, settings);
                    EpochResult result =
                            new EpochResult(epoch, loss, recall[0], recall[1], (System.nanoTime() - start) / 1e9);
                    history.add(result);
                    listener.epochFinished(result);
                }
                session.save(checkpoint.toString());
            }
            EpochResult last = history.get(history.size() - 1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("textToImageR1", last.recallAt1());
            metrics.put("textToImageR5", last.recallAt5());
            metrics.put("heldOutPairs", (double) test.length);
            metrics.put("vocabulary", (double) vocabulary);
            export(checkpoint, vocabulary, settings, outputDir);
            Files.copy(tokenizerFile, outputDir.resolve(ClipCard.TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
            ClipCard card =
                    card(modelId, settings, metrics, ModelFiles.checksums(outputDir, Set.of(ClipCard.FILE_NAME)));
            Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(outputDir.resolve(ClipCard.FILE_NAME).toFile(), card);
            Directories.deleteRecursively(work);
            return new Outcome(card, List.copyOf(history));
        } catch (IOException e) {
            throw new UncheckedIOException("CLIP training failed to write its files", e);
        }
    }

    private static double trainEpoch(
            Session session,
            ClipTrainingGraph graph,
            ClipTokenizer tokenizer,
            float[] pixels,
            List<List<String>> captions,
            int[] train,
            ClipTrainingSettings settings,
            int epoch,
            Listener listener) {
        int batch = settings.batchSize();
        int stride = settings.imageSize() * settings.imageSize() * 3;
        int steps = train.length / batch;
        SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
        int[] order = settings.twins() ? shuffledTwins(train, random) : shuffled(train, random);
        listener.epochStarted(epoch, settings.epochs(), steps);
        float[] x = new float[batch * stride];
        double sum = 0;
        for (int step = 0; step < steps; step++) {
            List<String> texts = new ArrayList<>(batch);
            for (int k = 0; k < batch; k++) {
                int image = order[step * batch + k];
                System.arraycopy(pixels, image * stride, x, k * stride, stride);
                List<String> options = captions.get(image);
                texts.add(options.get(random.nextInt(options.size())));
            }
            ClipTokenizer.Tokens tokens = tokenizer.encode(texts);
            int s = settings.imageSize();
            int l = settings.contextLength();
            try (TFloat32 px = Tensors.floats(x, batch, s, s, 3);
                    TInt64 ids = Tensors.longs(tokens.ids(), batch, l);
                    TInt64 mask = Tensors.longs(tokens.mask(), batch, l);
                    Result result = session.runner()
                            .feed(graph.pixels, px)
                            .feed(graph.ids, ids)
                            .feed(graph.mask, mask)
                            .addTarget(graph.trainStep)
                            .fetch(graph.loss)
                            .run()) {
                double loss = ((TFloat32) result.get(0)).getFloat();
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("CLIP training diverged at epoch " + epoch + " step " + step);
                }
                sum += loss;
                listener.stepDone(step + 1, steps, loss);
            }
        }
        return sum / steps;
    }

    /** Text-to-image R@1 and R@5 over the held-out pairs (each image with its first, complete caption). */
    private static double[] evaluate(
            Session session,
            ClipTrainingGraph graph,
            ClipTokenizer tokenizer,
            float[] pixels,
            List<List<String>> captions,
            int[] test,
            ClipTrainingSettings settings) {
        int s = settings.imageSize();
        int stride = s * s * 3;
        float[] x = new float[test.length * stride];
        List<String> queries = new ArrayList<>();
        for (int k = 0; k < test.length; k++) {
            System.arraycopy(pixels, test[k] * stride, x, k * stride, stride);
            queries.add(captions.get(test[k]).get(0));
        }
        ClipTokenizer.Tokens tokens = tokenizer.encode(queries);
        try (TFloat32 px = Tensors.floats(x, test.length, s, s, 3);
                TInt64 ids = Tensors.longs(tokens.ids(), test.length, settings.contextLength());
                TInt64 mask = Tensors.longs(tokens.mask(), test.length, settings.contextLength());
                Result result = session.runner()
                        .feed(graph.pixels, px)
                        .feed(graph.ids, ids)
                        .feed(graph.mask, mask)
                        .fetch(graph.imageEmbeds)
                        .fetch(graph.textEmbeds)
                        .run()) {
            float[][] images = rows(Tensors.read((TFloat32) result.get(0)), test.length);
            float[][] texts = rows(Tensors.read((TFloat32) result.get(1)), test.length);
            return new double[] {Retrieval.recallAtK(texts, images, 1), Retrieval.recallAtK(texts, images, 5)};
        }
    }

    private static void export(Path checkpoint, int vocabulary, ClipTrainingSettings settings, Path outputDir)
            throws IOException {
        try (ClipTrainingGraph graph = new ClipTrainingGraph(vocabulary, settings, false);
                Session session = new Session(graph.graph)) {
            session.restore(checkpoint.toString());
            SavedModels.export(
                    session,
                    outputDir,
                    Signature.builder()
                            .key(ClipModel.ENCODE_TEXT)
                            .input("input_ids", graph.ids)
                            .input("attention_mask", graph.mask)
                            .output("text_embeds", graph.textEmbeds)
                            .build(),
                    Signature.builder()
                            .key(ClipModel.ENCODE_IMAGE)
                            .input("pixel_values", graph.pixels)
                            .output("image_embeds", graph.imageEmbeds)
                            .build());
        }
    }

    private static ClipCard card(
            String modelId, ClipTrainingSettings settings, Map<String, Double> metrics, Map<String, String> files) {
        return new ClipCard(
                ClipCard.FORMAT,
                ClipCard.FORMAT_VERSION,
                modelId,
                SOURCE,
                settings.dimension(),
                settings.imageSize(),
                MEAN,
                STD,
                ClipCard.CHANNELS_LAST,
                settings.contextLength(),
                true,
                metrics,
                files,
                Instant.now());
    }

    static int[] shuffled(int[] indexes, SplittableRandom random) {
        int[] order = indexes.clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The training images in a random order in which twins (images 2k and 2k+1) stand side by side, so that with an
     * even batch size they share a batch; a twin whose partner was held out stands alone.
     */
    static int[] shuffledTwins(int[] indexes, SplittableRandom random) {
        java.util.Map<Integer, List<Integer>> pairs = new java.util.TreeMap<>();
        for (int index : indexes) {
            pairs.computeIfAbsent(index / 2, k -> new ArrayList<>()).add(index);
        }
        List<List<Integer>> groups = new ArrayList<>(pairs.values());
        for (int i = groups.size() - 1; i > 0; i--) {
            java.util.Collections.swap(groups, i, random.nextInt(i + 1));
        }
        // Pairs first, singles after: a single between pairs would put every later pair across a batch boundary.
        int[] order = new int[indexes.length];
        int at = 0;
        for (List<Integer> group : groups) {
            if (group.size() == 2) {
                for (int index : group) {
                    order[at++] = index;
                }
            }
        }
        for (List<Integer> group : groups) {
            if (group.size() == 1) {
                order[at++] = group.get(0);
            }
        }
        return order;
    }

    /** {@code [train, heldOut]} image indexes, drawn from the seed. */
    static int[][] split(int n, int heldOut, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0xC11FL);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] test = Arrays.copyOfRange(order, 0, heldOut);
        int[] train = Arrays.copyOfRange(order, heldOut, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new int[][] {train, test};
    }

    static float[][] rows(float[] flat, int n) {
        int d = flat.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
        return out;
    }
}
