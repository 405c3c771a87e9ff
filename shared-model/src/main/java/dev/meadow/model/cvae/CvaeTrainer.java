package dev.meadow.model.cvae;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.model.clip.FrozenImageTower;
import dev.meadow.model.tf.Tensors;
import dev.meadow.model.tf.TfConfig;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains one CVAE in one TensorFlow session. Every step is a pure function of the weights, the batch and the step
 * number (batches are shuffled from the seed and the epoch; noise and dropout come from the seed and the step),
 * so a run restored from a checkpoint continues exactly as an uninterrupted one would.
 */
public final class CvaeTrainer implements AutoCloseable {

    private static final long DROPOUT_STREAM = 0x5eedL;
    private static final long VALIDATION_STREAM = 0x7a1dL;
    private static final long CLIP_VIEW_STREAM = 0x71e3L;

    private final CvaePreset preset;
    private final int conditionDim;
    private final TrainingSettings settings;
    private final CvaeTrainingGraph graph;
    private final Session session;
    private long globalStep;

    public CvaeTrainer(CvaePreset preset, int conditionDim, TrainingSettings settings) {
        this(preset, conditionDim, settings, null);
    }

    /**
     * @param clipDirectory the conditioning CLIP, needed only when {@code settings} weigh a CLIP-consistency or perceptual term
     */
    public CvaeTrainer(CvaePreset preset, int conditionDim, TrainingSettings settings, Path clipDirectory) {
        settings.validate();
        this.preset = preset;
        this.conditionDim = conditionDim;
        this.settings = settings;
        this.graph = new CvaeTrainingGraph(preset, conditionDim, settings, clipDirectory);
        try {
            this.session = new Session(graph.graph, TfConfig.threads(settings.threads()));
        } catch (RuntimeException e) {
            graph.graph.close();
            throw e;
        }
        try {
            session.initialize();
            if (graph.clipTower != null) {
                graph.clipTower.load(session);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public CvaePreset preset() {
        return preset;
    }

    public int conditionDim() {
        return conditionDim;
    }

    public long globalStep() {
        return globalStep;
    }

    public long trainableParameters() {
        return graph.parameters.trainableCount();
    }

    /**
     * One pass over {@code trainImages} (shuffled, incomplete last batch dropped), conditioned as {@code mode}
     * says. Returns the mean training loss.
     */
    public LossBreakdown trainEpoch(
            CvaeData data, int[] trainImages, ConditioningMode mode, int epoch, StepListener listener) {
        int batch = settings.batchSize();
        int steps = trainImages.length / batch;
        if (steps == 0) {
            throw new IllegalArgumentException(
                    "fewer training images (" + trainImages.length + ") than one batch (" + batch + ")");
        }
        int[] order = trainImages.clone();
        SplittableRandom random = new SplittableRandom(mix(settings.seed(), epoch));
        shuffle(order, random);
        ConditionSource conditions = ConditionSource.of(mode, data, settings.noiseScale());
        float[] x = new float[batch * data.pixelsPerImage()];
        float[] c = new float[batch * conditionDim];
        double[] sums = new double[graph.trainLoss.all().size()];
        for (int step = 0; step < steps; step++) {
            fill(data, order, step * batch, batch, conditions, random, x, c);
            float[] parts = run(x, c, batch, globalStep, true);
            for (int k = 0; k < sums.length; k++) {
                sums[k] += parts[k];
            }
            globalStep++;
            listener.stepDone(step + 1, steps, parts[0]);
        }
        return graph.trainLoss.breakdown(sums, steps);
    }

    /** Mean loss over {@code images} with moving batch-norm statistics, no dropout and fixed noise. */
    public LossBreakdown evaluate(CvaeData data, int[] images, ConditioningMode mode) {
        int batch = settings.batchSize();
        SplittableRandom random = new SplittableRandom(mix(settings.seed(), VALIDATION_STREAM));
        ConditionSource conditions = ConditionSource.of(mode, data, settings.noiseScale());
        double[] sums = new double[graph.evalLoss.all().size()];
        int seen = 0;
        for (int start = 0; start < images.length; start += batch) {
            int n = Math.min(batch, images.length - start);
            float[] x = new float[n * data.pixelsPerImage()];
            float[] c = new float[n * conditionDim];
            fill(data, images, start, n, conditions, random, x, c);
            float[] parts = run(x, c, n, -1 - start, false);
            for (int k = 0; k < sums.length; k++) {
                sums[k] += parts[k] * n;
            }
            seen += n;
        }
        return graph.evalLoss.breakdown(sums, seen);
    }

    private void fill(
            CvaeData data,
            int[] order,
            int from,
            int n,
            ConditionSource conditions,
            SplittableRandom random,
            float[] x,
            float[] c) {
        int stride = data.pixelsPerImage();
        for (int j = 0; j < n; j++) {
            int image = order[from + j];
            System.arraycopy(data.pixels(), image * stride, x, j * stride, stride);
            conditions.fill(image, random, c, j * conditionDim);
        }
    }

    private float[] run(float[] x, float[] c, int n, long step, boolean train) {
        int s = preset.imageSize();
        CvaeLoss.Parts loss = train ? graph.trainLoss : graph.evalLoss;
        try (TFloat32 images = Tensors.floats(x, n, s, s, 3);
                TFloat32 conditions = Tensors.floats(c, n, conditionDim);
                TInt64 noise = Tensors.seed(settings.seed(), step);
                TInt64 dropout = Tensors.seed(settings.seed() ^ DROPOUT_STREAM, step)) {
            Session.Runner runner = session.runner()
                    .feed(graph.images, images)
                    .feed(graph.conditions, conditions)
                    .feed(graph.noiseSeed, noise)
                    .feed(graph.dropoutSeed, dropout);
            if (train) {
                runner.addTarget(graph.trainStep);
            }
            if (train && settings.clipWeight() > 0) {
                SplittableRandom viewRandom = new SplittableRandom(mix(settings.seed() ^ CLIP_VIEW_STREAM, step));
                float[][] view = settings.clipViewScale() < 1
                        ? crop(ClipCrop.random(viewRandom, s, settings.clipViewScale()))
                        : shift(ClipViews.random(viewRandom, s));
                try (TFloat32 rows = Tensors.floats(view[0], s, s);
                        TFloat32 columns = Tensors.floats(view[1], s, s)) {
                    return finish(
                            runner.feed(graph.clipViewRows, rows).feed(graph.clipViewColumns, columns), loss, step);
                }
            }
            return finish(runner, loss, step);
        }
    }

    private static float[][] crop(ClipCrop view) {
        return new float[][] {view.rowMatrix(), view.columnMatrix()};
    }

    private static float[][] shift(ClipViews view) {
        return new float[][] {view.rowMatrix(), view.columnMatrix()};
    }

    private static float[] finish(Session.Runner runner, CvaeLoss.Parts loss, long step) {
        for (var part : loss.all()) {
            runner.fetch(part);
        }
        try (Result result = runner.run()) {
            float[] parts = new float[loss.all().size()];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = ((TFloat32) result.get(k)).getFloat();
            }
            if (!Float.isFinite(parts[0])) {
                throw new IllegalStateException(
                        "the loss diverged (" + parts[0] + ") at step " + step + "; lower the learning rate");
            }
            return parts;
        }
    }

    /** Current values of every trainable variable, by name (for tests and diagnostics). */
    java.util.Map<String, float[]> trainableValues() {
        return values(graph.parameters.trainable());
    }

    /** Current values of the frozen CLIP tower's variables, by name (empty when no term needs it). */
    java.util.Map<String, float[]> frozenClipValues() {
        return graph.clipTower == null ? java.util.Map.of() : values(graph.clipTower.variables());
    }

    /** Current values of the patch critic's trainable variables, by name (empty without a critic). */
    java.util.Map<String, float[]> criticValues() {
        return graph.critic == null
                ? java.util.Map.of()
                : values(graph.critic.parameters().trainable());
    }

    private java.util.Map<String, float[]> values(List<Variable<TFloat32>> variables) {
        java.util.Map<String, float[]> values = new java.util.LinkedHashMap<>();
        for (Variable<TFloat32> variable : variables) {
            try (Result result = session.runner().fetch(variable).run()) {
                values.put(variable.op().name(), Tensors.read((TFloat32) result.get(0)));
            }
        }
        return values;
    }

    /** Writes every variable (weights, batch-norm statistics, Adam moments) under {@code prefix}. */
    public void save(Path prefix) {
        session.save(prefix.toString());
    }

    /** Restores what {@link #save} wrote; {@code globalStep} continues from there. */
    public void restore(Path prefix, long step) {
        session.restore(prefix.toString());
        this.globalStep = step;
    }

    /**
     * Starts from what another run, whose loss had {@code source}'s terms, saved under {@code prefix}: every variable
     * its checkpoint holds. Those it cannot hold keep their initial values: the patch critic (with its Adam moments)
     * when that run had none, the frozen CLIP tower (already loaded from the CLIP) when that run had none.
     */
    public void warmStart(Path prefix, long step, TrainingSettings source) {
        List<String> names = new ArrayList<>();
        for (Iterator<GraphOperation> it = graph.graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            String name = op.name();
            boolean variable = op.type().equals("VariableV2");
            boolean missingTower = !source.needsClipTower() && name.startsWith(FrozenImageTower.SCOPE + "/");
            boolean missingCritic = source.adversarialWeight() == 0 && PatchCritic.owns(name);
            if (variable && !missingTower && !missingCritic) {
                names.add(name);
            }
        }
        Ops tf = Ops.create(graph.graph).withSubScope("warm_start");
        String[] wholeTensors = new String[names.size()];
        Arrays.fill(wholeTensors, "");
        Restore restored = tf.train.restore(
                tf.constant(prefix.toString()),
                tf.constant(StandardCharsets.UTF_8, names.toArray(String[]::new)),
                tf.constant(StandardCharsets.UTF_8, wholeTensors),
                Collections.nCopies(names.size(), TFloat32.class));
        List<Op> assigns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            @SuppressWarnings("unchecked")
            Output<TFloat32> ref = (Output<TFloat32>)
                    (Output<?>) graph.graph.operation(names.get(i)).output(0);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> value = (Operand<TFloat32>) restored.tensors().get(i);
            assigns.add(tf.assign(ref, value));
        }
        session.runner()
                .addTarget(tf.withControlDependencies(assigns).noOp())
                .run()
                .close();
        this.globalStep = step;
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            graph.graph.close();
        }
    }

    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
