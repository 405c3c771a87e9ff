package dev.meadow.model.prior;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import dev.meadow.contracts.Json;
import dev.meadow.files.Directories;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.clip.Retrieval;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import dev.meadow.model.tf.TfConfig;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;

/**
 * Trains a diffusion {@link Prior} on a snapshot's (caption, image) embedding pairs: each step noises a batch of image
 * embeddings to random steps of the schedule and teaches the network to predict them clean from the noised ones and
 * their captions' text embeddings. A share of the images (with all their captions) is held out, measured every epoch,
 * and drawn from at the end with the exported model.
 */
public final class PriorTraining {

    /** The validation passes' seed: the same noise and steps every epoch, so their losses compare. */
    private static final int VALIDATION = -1;

    private PriorTraining() {}

    /**
     * @param decayAt the epoch from which the learning rate is a tenth (1-based; past {@code epochs}: never)
     */
    public record Settings(
            int epochs,
            int batchSize,
            float learningRate,
            int decayAt,
            int width,
            int blocks,
            int samplingSteps,
            double validationShare,
            long seed,
            int threads) {

        public Settings {
            if (epochs < 1 || batchSize < 2 || !(learningRate > 0) || width < 8 || blocks < 0) {
                throw new IllegalArgumentException(
                        "epochs >= 1, batch size >= 2, a positive learning rate, width >= 8 and blocks >= 0, please");
            }
            DiffusionSchedule.samplingSteps(samplingSteps);
            if (!(validationShare > 0 && validationShare < 0.5)) {
                throw new IllegalArgumentException("the validation share must be between 0 and 0.5");
            }
        }

        public static Settings defaults() {
            return new Settings(30, 256, 1e-3f, 26, 512, 3, 8, 0.05, 42, 0);
        }

        public Settings withEpochs(int value) {
            return new Settings(
                    value,
                    batchSize,
                    learningRate,
                    Math.max(2, value - value / 6),
                    width,
                    blocks,
                    samplingSteps,
                    validationShare,
                    seed,
                    threads);
        }

        public Settings withSamplingSteps(int value) {
            return new Settings(
                    epochs, batchSize, learningRate, decayAt, width, blocks, value, validationShare, seed, threads);
        }

        public Settings withBatchSize(int value) {
            return new Settings(
                    epochs, value, learningRate, decayAt, width, blocks, samplingSteps, validationShare, seed, threads);
        }

        public Settings withThreads(int value) {
            return new Settings(
                    epochs,
                    batchSize,
                    learningRate,
                    decayAt,
                    width,
                    blocks,
                    samplingSteps,
                    validationShare,
                    seed,
                    value);
        }

        public Settings withSeed(long value) {
            return new Settings(
                    epochs,
                    batchSize,
                    learningRate,
                    decayAt,
                    width,
                    blocks,
                    samplingSteps,
                    validationShare,
                    value,
                    threads);
        }
    }

    /**
     * What a prior trains on: a snapshot's CLIP image embeddings and the text embeddings of their captions.
     *
     * @param imageEmbeddings {@code count x dimension}
     * @param captionEmbeddings {@code captions x dimension}
     * @param captionImage for each caption, the index of the image it describes
     */
    public record Pairs(
            int dimension, int count, float[] imageEmbeddings, float[] captionEmbeddings, int[] captionImage) {

        public Pairs {
            if (imageEmbeddings.length != (long) count * dimension
                    || captionEmbeddings.length != (long) captionImage.length * dimension) {
                throw new IllegalArgumentException("expected one embedding of " + dimension + " per image and caption");
            }
            for (int owner : captionImage) {
                if (owner < 0 || owner >= count) {
                    throw new IllegalArgumentException("caption refers to image " + owner + " of " + count);
                }
            }
        }
    }

    /** Hears each epoch as it finishes. */
    public interface Listener {
        default void epochFinished(PriorCard.Epoch epoch) {}
    }

    public static PriorCard train(
            Pairs data,
            Settings settings,
            String modelId,
            String clipModelId,
            String dataset,
            Path out,
            Listener listener) {
        int d = data.dimension();
        int[][] split = split(data, settings);
        int[] train = split[0];
        int[] validation = split[1];
        if (validation.length == 0) {
            throw new IllegalArgumentException("no captions held out for validation: more images, please");
        }
        if (train.length < settings.batchSize()) {
            throw new IllegalArgumentException(
                    "only " + train.length + " caption pairs to train on for batch size " + settings.batchSize());
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("meadow-prior-");
            Path checkpoint = work.resolve("ckpt");
            List<PriorCard.Epoch> history = new ArrayList<>();
            try (PriorGraph graph = new PriorGraph(d, settings.width(), settings.blocks(), settings.seed(), true);
                    Session session = new Session(graph.graph, TfConfig.threads(settings.threads()))) {
                session.initialize();
                for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                    long started = System.nanoTime();
                    float rate = epoch >= settings.decayAt() ? settings.learningRate() / 10 : settings.learningRate();
                    double loss = pass(session, graph, data, train, settings, epoch, rate, true);
                    double validationLoss = pass(session, graph, data, validation, settings, VALIDATION, 0, false);
                    PriorCard.Epoch result =
                            new PriorCard.Epoch(epoch, loss, validationLoss, (System.nanoTime() - started) / 1e9);
                    history.add(result);
                    listener.epochFinished(result);
                }
                session.save(checkpoint.toString());
            }
            export(checkpoint, d, settings, out);
            PriorCard card = new PriorCard(
                    PriorCard.FORMAT,
                    PriorCard.FORMAT_VERSION,
                    modelId,
                    clipModelId,
                    d,
                    settings.width(),
                    settings.blocks(),
                    settings.samplingSteps(),
                    dataset,
                    train.length,
                    validation.length,
                    history,
                    null,
                    settings.seed(),
                    ModelFiles.checksums(out, Set.of(PriorCard.FILE_NAME)),
                    Instant.now());
            write(card, out);
            PriorCard.Validation measured;
            try (Prior prior = Prior.load(out, settings.threads())) {
                measured = validate(prior, data, validation);
            }
            PriorCard done = new PriorCard(
                    card.format(),
                    card.formatVersion(),
                    card.modelId(),
                    card.clipModelId(),
                    card.dimension(),
                    card.width(),
                    card.blocks(),
                    card.samplingSteps(),
                    card.dataset(),
                    card.trainPairs(),
                    card.validationPairs(),
                    card.history(),
                    measured,
                    card.seed(),
                    card.files(),
                    card.createdAt());
            write(done, out);
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("prior training failed to write its files", e);
        } finally {
            if (work != null) {
                Directories.deleteRecursively(work);
            }
        }
    }

    /** Caption indexes {@code [train, validation]}: the captions of a held-out share of the images go to validation. */
    static int[][] split(Pairs data, Settings settings) {
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0x9E1A7L);
        boolean[] heldOut = new boolean[data.count()];
        boolean any = false;
        int lowest = 0;
        double lowestDraw = Double.POSITIVE_INFINITY;
        for (int i = 0; i < data.count(); i++) {
            double draw = random.nextDouble();
            heldOut[i] = draw < settings.validationShare();
            any |= heldOut[i];
            if (draw < lowestDraw) {
                lowestDraw = draw;
                lowest = i;
            }
        }
        // A small snapshot may draw none: the image that came closest is held out, so that there is a validation.
        if (!any && data.count() > 1) {
            heldOut[lowest] = true;
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < data.captionImage().length; c++) {
            (heldOut[data.captionImage()[c]] ? validation : train).add(c);
        }
        return new int[][] {
            train.stream().mapToInt(Integer::intValue).toArray(),
            validation.stream().mapToInt(Integer::intValue).toArray()
        };
    }

    /** One pass over {@code captions}: training steps, or (with {@code learn} false) the mean loss at fixed noise. */
    private static double pass(
            Session session,
            PriorGraph graph,
            Pairs data,
            int[] captions,
            Settings settings,
            int epoch,
            float rate,
            boolean learn) {
        int d = data.dimension();
        int batch = settings.batchSize();
        int[] order = captions.clone();
        SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + epoch);
        if (learn) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int steps = learn ? order.length / batch : (order.length + batch - 1) / batch;
        Random gaussian = new Random(random.nextLong());
        double sum = 0;
        long rows = 0;
        for (int step = 0; step < steps; step++) {
            int n = Math.min(batch, order.length - step * batch);
            float[] noised = new float[n * d];
            float[] text = new float[n * d];
            float[] clean = new float[n * d];
            float[] time = new float[n * DiffusionSchedule.TIME_FEATURES];
            for (int k = 0; k < n; k++) {
                int caption = order[step * batch + k];
                int image = data.captionImage()[caption];
                float[] x0 = Prior.scaled(
                        Prior.unit(Arrays.copyOfRange(data.imageEmbeddings(), image * d, (image + 1) * d)), d);
                float[] c = Prior.scaled(
                        Prior.unit(Arrays.copyOfRange(data.captionEmbeddings(), caption * d, (caption + 1) * d)), d);
                int t = 1 + random.nextInt(DiffusionSchedule.STEPS);
                double ab = DiffusionSchedule.alphaBar(t);
                for (int j = 0; j < d; j++) {
                    noised[k * d + j] = (float) (Math.sqrt(ab) * x0[j] + Math.sqrt(1 - ab) * gaussian.nextGaussian());
                }
                System.arraycopy(x0, 0, clean, k * d, d);
                System.arraycopy(c, 0, text, k * d, d);
                DiffusionSchedule.timeFeatures(t, time, k * DiffusionSchedule.TIME_FEATURES);
            }
            try (TFloat32 noisedTensor = Tensors.floats(noised, n, d);
                    TFloat32 textTensor = Tensors.floats(text, n, d);
                    TFloat32 timeTensor = Tensors.floats(time, n, DiffusionSchedule.TIME_FEATURES);
                    TFloat32 cleanTensor = Tensors.floats(clean, n, d);
                    TFloat32 rateTensor = TFloat32.scalarOf(rate)) {
                var runner = session.runner()
                        .feed(graph.noised, noisedTensor)
                        .feed(graph.text, textTensor)
                        .feed(graph.time, timeTensor)
                        .feed(graph.clean, cleanTensor)
                        .fetch(graph.loss);
                if (learn) {
                    runner.feed(graph.learningRate, rateTensor).addTarget(graph.trainStep);
                }
                try (Result result = runner.run()) {
                    double loss = ((TFloat32) result.get(0)).getFloat();
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("prior training diverged at epoch " + epoch);
                    }
                    sum += loss * n;
                    rows += n;
                }
            }
        }
        return sum / rows;
    }

    /** Draws for up to 500 held-out captions, with the exported prior, as the decoder will be given them. */
    static PriorCard.Validation validate(Prior prior, Pairs data, int[] validation) {
        int d = data.dimension();
        int n = Math.min(500, validation.length);
        float[][] texts = new float[n][];
        float[][] images = new float[n][];
        long[] seeds = new long[n];
        long[] otherSeeds = new long[n];
        for (int k = 0; k < n; k++) {
            int caption = validation[k * validation.length / n];
            int image = data.captionImage()[caption];
            texts[k] = Prior.unit(Arrays.copyOfRange(data.captionEmbeddings(), caption * d, (caption + 1) * d));
            images[k] = Prior.unit(Arrays.copyOfRange(data.imageEmbeddings(), image * d, (image + 1) * d));
            seeds[k] = k;
            otherSeeds[k] = n + k;
        }
        float[][] draws = prior.draw(texts, seeds);
        float[][] others = prior.draw(texts, otherSeeds);
        double drawToImage = 0;
        double textToImage = 0;
        double drawSpread = 0;
        double imageSpread = 0;
        int[] owners = new int[n];
        for (int k = 0; k < n; k++) {
            owners[k] = data.captionImage()[validation[k * validation.length / n]];
        }
        int imagePairs = 0;
        for (int k = 0; k < n; k++) {
            drawToImage += Retrieval.dot(draws[k], images[k]) / n;
            textToImage += Retrieval.dot(texts[k], images[k]) / n;
            drawSpread += (1 - Retrieval.dot(draws[k], others[k])) / n;
            // The next caption of another image: two captions of one image would say nothing of the images' spread.
            for (int j = 1; j < n; j++) {
                int other = (k + j) % n;
                if (owners[other] != owners[k]) {
                    imageSpread += 1 - Retrieval.dot(images[k], images[other]);
                    imagePairs++;
                    break;
                }
            }
        }
        imageSpread = imagePairs == 0 ? 0 : imageSpread / imagePairs;
        return new PriorCard.Validation(drawToImage, textToImage, drawSpread, imageSpread);
    }

    private static void write(PriorCard card, Path out) throws IOException {
        Json.mapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(out.resolve(PriorCard.FILE_NAME).toFile(), card);
    }

    private static void export(Path checkpoint, int dimension, Settings settings, Path out) throws IOException {
        try (PriorGraph graph = new PriorGraph(dimension, settings.width(), settings.blocks(), settings.seed(), false);
                Session session = new Session(graph.graph)) {
            session.restore(checkpoint.toString());
            SavedModels.export(
                    session,
                    out,
                    Signature.builder()
                            .key(PriorGraph.SIGNATURE)
                            .input("noised", graph.noised)
                            .input("text", graph.text)
                            .input("time", graph.time)
                            .output("predicted", graph.predicted)
                            .build());
        }
    }
}
