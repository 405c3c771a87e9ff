package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import dev.meadow.image.ImageArrays;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.judge.SceneJudge;
import dev.meadow.model.judge.SceneJudgeCard;
import dev.meadow.model.judge.SceneJudgeTraining;
import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import dev.meadow.synth.SceneRenderer;

/**
 * The scene judge for Pastoral-Synth's attributes: one head per attribute that {@link Attribute.Reader#SCENE_JUDGE}
 * reads, trained on renders whose scene graph is the truth. A third of the training renders are softened (halved
 * and grown back), because decoders draw soft pictures; accuracy is measured on held-out renders of another seed,
 * sharp and softened.
 */
public final class SceneJudging {

    /** The side the judge reads pictures at: the decoders' and the renders'. */
    public static final int IMAGE_SIZE = 64;

    static final int SOFT_SIZE = 32;

    private SceneJudging() {}

    /** The heads, in the order of {@link Attribute#readBy}. */
    public static List<SceneJudge.Head> heads() {
        return Attribute.readBy(Attribute.Reader.SCENE_JUDGE).stream()
                .map(a -> new SceneJudge.Head(a.key(), a.labels()))
                .toList();
    }

    /** Renders {@code train} scenes of {@code seed} and {@code test} of {@code seed + 1}, trains, measures, exports. */
    public static SceneJudgeCard train(
            int train,
            int test,
            long seed,
            int epochs,
            int threads,
            String modelId,
            Path out,
            SceneJudgeTraining.Listener listener) {
        SceneJudgeTraining.Pictures trainPictures = render(seed, train, i -> i % 3 == 2);
        SceneJudgeTraining.Pictures testPictures = render(seed + 1, test, i -> false);
        SceneJudgeTraining.Pictures softTest = render(seed + 1, test, i -> true);
        SceneJudgeTraining.Settings settings = new SceneJudgeTraining.Settings(
                IMAGE_SIZE, epochs, 64, 1e-3f, Math.max(2, epochs - epochs / 4), seed, threads);
        return SceneJudgeTraining.train(
                heads(), trainPictures, testPictures, softTest, settings, modelId, out, listener);
    }

    /** The judge's accuracy on {@code count} renders of {@code seed} it was not trained on, per head, sharp. */
    public static double[] accuracyOnRenders(SceneJudge judge, long seed, int count) {
        check(judge);
        List<Attribute> attributes = Attribute.readBy(Attribute.Reader.SCENE_JUDGE);
        List<Scene> scenes = IntStream.range(0, count)
                .mapToObj(i -> PastoralSynth.scene(seed, i))
                .toList();
        List<BufferedImage> pictures = scenes.parallelStream()
                .map(s -> SceneRenderer.render(s, IMAGE_SIZE))
                .toList();
        var readings = judge.judge(pictures);
        double[] accuracy = new double[attributes.size()];
        for (int h = 0; h < attributes.size(); h++) {
            Attribute attribute = attributes.get(h);
            int applicable = 0;
            int right = 0;
            for (int i = 0; i < count; i++) {
                String truth = attribute.of(scenes.get(i));
                if (truth != null) {
                    applicable++;
                    if (truth.equals(readings.get(i).get(attribute.key()))) {
                        right++;
                    }
                }
            }
            accuracy[h] = applicable == 0 ? Double.NaN : (double) right / applicable;
        }
        return accuracy;
    }

    /** Refuses a judge whose heads are not this evaluation's (another version of the attributes). */
    public static void check(SceneJudge judge) {
        if (!judge.heads().equals(heads())) {
            throw new InvalidModelException("scene judge " + judge.modelId() + " reads "
                    + judge.heads().stream().map(SceneJudge.Head::name).toList() + ", this evaluation needs "
                    + heads().stream().map(SceneJudge.Head::name).toList());
        }
    }

    private static SceneJudgeTraining.Pictures render(long seed, int count, java.util.function.IntPredicate soft) {
        List<Attribute> attributes = Attribute.readBy(Attribute.Reader.SCENE_JUDGE);
        int stride = IMAGE_SIZE * IMAGE_SIZE * 3;
        float[] pixels = new float[count * stride];
        int[][] labels = new int[attributes.size()][count];
        IntStream.range(0, count).parallel().forEach(i -> {
            Scene scene = PastoralSynth.scene(seed, i);
            BufferedImage picture = SceneRenderer.render(scene, IMAGE_SIZE);
            if (soft.test(i)) {
                picture = ImageArrays.squareResize(ImageArrays.squareResize(picture, SOFT_SIZE), IMAGE_SIZE);
            }
            ImageArrays.toFloats(picture, pixels, i * stride);
            for (int h = 0; h < attributes.size(); h++) {
                String value = attributes.get(h).of(scene);
                labels[h][i] = value == null ? -1 : attributes.get(h).labels().indexOf(value);
            }
        });
        return new SceneJudgeTraining.Pictures(pixels, count, labels);
    }
}
