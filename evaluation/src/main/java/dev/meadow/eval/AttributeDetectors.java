package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.meadow.contracts.EvalReport;
import dev.meadow.image.ImageArrays;
import dev.meadow.model.judge.SceneJudge;
import dev.meadow.model.judge.SceneJudgeCard;
import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import dev.meadow.synth.SceneRenderer;

/**
 * What reads the scene attributes of a picture. Colours ({@link Attribute.Reader#COLOURS}): colour and contrast
 * statistics over a grid of image regions, fed to one softmax classifier per attribute, trained at each run on
 * Pastoral-Synth renders where the truth is known; half of the training renders are blurred, because decoders draw
 * soft pictures and a detector must not mistake softness for a different sky. Objects ({@link
 * Attribute.Reader#SCENE_JUDGE}): the scene judge, a CNN trained once ({@link SceneJudging}), when one is given.
 * Accuracy is measured on renders the readers never saw, sharp and blurred.
 */
public final class AttributeDetectors {

    /** A detector must read at least this share of unseen renders right before its attribute is used to judge. */
    public static final double REQUIRED_ACCURACY = EvalReport.REQUIRED_DETECTOR_ACCURACY;

    /** Side of the picture the features are computed on; generated images of any size are resized to it. */
    static final int FEATURE_SIZE = 32;

    static final int GRID = 8;
    /** Blurred copies are made by shrinking to this size and growing back. */
    static final int BLUR_SIZE = 12;
    /** Colours quantised to 4 levels per channel, counted over the upper and the lower half. */
    static final int HISTOGRAM_BINS = 64;

    private final Map<Attribute, SoftmaxClassifier> classifiers;
    private final Map<Attribute, Double> sharpAccuracy;
    private final Map<Attribute, Double> blurredAccuracy;
    private final SceneJudge sceneJudge;

    private AttributeDetectors(
            Map<Attribute, SoftmaxClassifier> classifiers,
            Map<Attribute, Double> sharpAccuracy,
            Map<Attribute, Double> blurredAccuracy,
            SceneJudge sceneJudge) {
        this.classifiers = classifiers;
        this.sharpAccuracy = sharpAccuracy;
        this.blurredAccuracy = blurredAccuracy;
        this.sceneJudge = sceneJudge;
    }

    /**
     * These colour detectors, with {@code judge} reading the objects; its accuracy on renders is its card's, measured
     * on held-out renders when it was trained. The caller keeps (and closes) the judge.
     */
    public AttributeDetectors withSceneJudge(SceneJudge judge) {
        SceneJudging.check(judge);
        Map<Attribute, Double> sharp = new EnumMap<>(sharpAccuracy);
        Map<Attribute, Double> blurred = new EnumMap<>(blurredAccuracy);
        for (SceneJudgeCard.HeadCard head : judge.card().heads()) {
            Attribute attribute = byKey(head.name());
            sharp.put(attribute, head.accuracyOnRenders());
            blurred.put(attribute, head.accuracyOnBlurredRenders());
        }
        return new AttributeDetectors(classifiers, sharp, blurred, judge);
    }

    /** The scene judge's model id, or null when only colours are read. */
    public String sceneJudgeId() {
        return sceneJudge == null ? null : sceneJudge.modelId();
    }

    /** The attributes these detectors read: the colours, and the objects where a scene judge is given. */
    public java.util.Set<Attribute> readable() {
        return java.util.Collections.unmodifiableSet(sharpAccuracy.keySet());
    }

    private static Attribute byKey(String key) {
        for (Attribute attribute : Attribute.values()) {
            if (attribute.key().equals(key)) {
                return attribute;
            }
        }
        throw new IllegalArgumentException("no attribute " + key);
    }

    /** Renders {@code trainRenders} scenes and {@code testRenders} others (seed-disjoint), trains and measures. */
    public static AttributeDetectors train(int trainRenders, int testRenders, long seed) {
        List<Scene> trainScenes = scenes(seed, trainRenders);
        List<Scene> testScenes = scenes(seed + 1, testRenders);
        double[][] trainFeatures = new double[trainRenders][];
        IntStream.range(0, trainRenders).parallel().forEach(i -> {
            BufferedImage picture = SceneRenderer.render(trainScenes.get(i), 64);
            trainFeatures[i] = features(i % 2 == 0 ? picture : blur(picture));
        });
        double[][] sharp = new double[testRenders][];
        double[][] blurred = new double[testRenders][];
        IntStream.range(0, testRenders).parallel().forEach(i -> {
            BufferedImage picture = SceneRenderer.render(testScenes.get(i), 64);
            sharp[i] = features(picture);
            blurred[i] = features(blur(picture));
        });
        Map<Attribute, SoftmaxClassifier> classifiers = new EnumMap<>(Attribute.class);
        Map<Attribute, Double> sharpAccuracy = new EnumMap<>(Attribute.class);
        Map<Attribute, Double> blurredAccuracy = new EnumMap<>(Attribute.class);
        for (Attribute attribute : Attribute.readBy(Attribute.Reader.COLOURS)) {
            int[] labels = labels(attribute, trainScenes);
            SoftmaxClassifier classifier = SoftmaxClassifier.fit(
                    trainFeatures, labels, attribute.labels().size(), 40, 1e-4, seed);
            classifiers.put(attribute, classifier);
            int[] truth = labels(attribute, testScenes);
            sharpAccuracy.put(attribute, accuracy(classifier, sharp, truth));
            blurredAccuracy.put(attribute, accuracy(classifier, blurred, truth));
        }
        return new AttributeDetectors(classifiers, sharpAccuracy, blurredAccuracy, null);
    }

    /** What the colour detectors (and the scene judge, if given) read in {@code image}. */
    public Map<Attribute, String> detect(BufferedImage image) {
        return detect(List.of(image)).get(0);
    }

    /** {@link #detect(BufferedImage)} for each picture; the scene judge reads them in one go. */
    public List<Map<Attribute, String>> detect(List<BufferedImage> images) {
        List<Map<String, String>> judged = sceneJudge == null ? null : sceneJudge.judge(images);
        List<Map<Attribute, String>> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            double[] features = features(images.get(i));
            Map<Attribute, String> found = new EnumMap<>(Attribute.class);
            classifiers.forEach((attribute, classifier) ->
                    found.put(attribute, attribute.labels().get(classifier.predict(features))));
            if (judged != null) {
                judged.get(i).forEach((key, value) -> found.put(byKey(key), value));
            }
            out.add(found);
        }
        return out;
    }

    /** Accuracy on held-out sharp renders: the detectors' own score, which must be high before they judge models. */
    public Map<Attribute, Double> accuracyOnRenders() {
        return Collections.unmodifiableMap(sharpAccuracy);
    }

    /** The attributes whose detectors are good enough to judge with. */
    public java.util.Set<Attribute> trusted() {
        java.util.Set<Attribute> trusted = java.util.EnumSet.noneOf(Attribute.class);
        sharpAccuracy.forEach((attribute, accuracy) -> {
            if (accuracy >= REQUIRED_ACCURACY) {
                trusted.add(attribute);
            }
        });
        return trusted;
    }

    /** Accuracy on the same held-out renders, blurred. */
    public Map<Attribute, Double> accuracyOnBlurredRenders() {
        return Collections.unmodifiableMap(blurredAccuracy);
    }

    static BufferedImage blur(BufferedImage picture) {
        return ImageArrays.squareResize(ImageArrays.squareResize(picture, BLUR_SIZE), picture.getWidth());
    }

    /**
     * Per grid cell: mean red, green and blue, the spread and largest step of brightness, and the shares of
     * near-white pixels (snow, sheep) and near-black ones (cows, night).
     */
    static double[] features(BufferedImage image) {
        float[] rgb = ImageArrays.toFloats(ImageArrays.squareResize(image, FEATURE_SIZE));
        int cell = FEATURE_SIZE / GRID;
        double[] out = new double[GRID * GRID * 7 + 2 * HISTOGRAM_BINS];
        int f = 0;
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                double r = 0;
                double g = 0;
                double b = 0;
                double lum = 0;
                double lumSq = 0;
                double step = 0;
                double white = 0;
                double dark = 0;
                for (int y = gy * cell; y < (gy + 1) * cell; y++) {
                    for (int x = gx * cell; x < (gx + 1) * cell; x++) {
                        int p = (y * FEATURE_SIZE + x) * 3;
                        double l = luminance(rgb, p);
                        r += rgb[p];
                        g += rgb[p + 1];
                        b += rgb[p + 2];
                        lum += l;
                        lumSq += l * l;
                        if (Math.min(rgb[p], Math.min(rgb[p + 1], rgb[p + 2])) > 0.8) {
                            white++;
                        }
                        if (l < 0.15) {
                            dark++;
                        }
                        if (x + 1 < FEATURE_SIZE) {
                            step = Math.max(step, Math.abs(luminance(rgb, p + 3) - l));
                        }
                        if (y + 1 < FEATURE_SIZE) {
                            step = Math.max(step, Math.abs(luminance(rgb, p + FEATURE_SIZE * 3) - l));
                        }
                    }
                }
                double n = cell * cell;
                out[f++] = r / n;
                out[f++] = g / n;
                out[f++] = b / n;
                out[f++] = Math.sqrt(Math.max(lumSq / n - (lum / n) * (lum / n), 0));
                out[f++] = step;
                out[f++] = white / n;
                out[f++] = dark / n;
            }
        }
        int half = FEATURE_SIZE / 2;
        for (int y = 0; y < FEATURE_SIZE; y++) {
            int base = f + (y < half ? 0 : HISTOGRAM_BINS);
            for (int x = 0; x < FEATURE_SIZE; x++) {
                int p = (y * FEATURE_SIZE + x) * 3;
                int bin = level(rgb[p]) * 16 + level(rgb[p + 1]) * 4 + level(rgb[p + 2]);
                out[base + bin] += 1.0 / (half * FEATURE_SIZE);
            }
        }
        return out;
    }

    private static int level(float channel) {
        return Math.min(3, (int) (channel * 4));
    }

    private static double luminance(float[] rgb, int p) {
        return 0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2];
    }

    private static List<Scene> scenes(long seed, int count) {
        List<Scene> scenes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scenes.add(PastoralSynth.scene(seed, i));
        }
        return scenes;
    }

    private static int[] labels(Attribute attribute, List<Scene> scenes) {
        return scenes.stream()
                .mapToInt(scene -> attribute.labels().indexOf(attribute.of(scene)))
                .toArray();
    }

    private static double accuracy(SoftmaxClassifier classifier, double[][] features, int[] truth) {
        int right = 0;
        for (int i = 0; i < features.length; i++) {
            if (classifier.predict(features[i]) == truth[i]) {
                right++;
            }
        }
        return (double) right / features.length;
    }
}
