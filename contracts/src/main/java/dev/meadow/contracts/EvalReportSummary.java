package dev.meadow.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a report says, in words and formatted numbers: the one source for the CLI's {@code index.html} and the
 * gallery's experiment page, so a metric is named and rounded the same wherever it is read.
 */
public final class EvalReportSummary {

    /** One measured value. */
    public record Metric(String name, String value) {}

    /** One attribute detector and whether the evaluation trusted it. */
    public record Detector(String attribute, String onRenders, String onBlurredRenders, String used) {}

    private EvalReportSummary() {}

    /** The sentence that says what was evaluated and how. */
    public static String description(EvalReport r) {
        return String.format(
                Locale.ROOT,
                "Decoder %s (%s, %s conditioning, %dpx), prompted with text embeddings of CLIP %s%s, judged by CLIP"
                        + " %s%s; %d images, seed %d, latent temperature %.2f%s%s.",
                r.modelId(),
                r.preset(),
                r.conditioning(),
                r.imageSize(),
                r.clipModelId(),
                r.priorModelId() == null ? "" : " through prior " + r.priorModelId(),
                r.judgeModelId(),
                r.sceneJudgeModelId() == null ? "" : " and scene judge " + r.sceneJudgeModelId(),
                r.images(),
                r.seed(),
                r.temperature(),
                r.candidates() > 1 ? ", best of " + r.candidates() + " candidates by CLIP " + r.clipModelId() : "",
                conditionNoise(r));
    }

    /** ", condition noise ξ" where the report's conditions were drawn around the prompts', else nothing. */
    public static String conditionNoise(EvalReport r) {
        return r.conditionNoise() > 0 ? String.format(Locale.ROOT, ", condition noise %.2f", r.conditionNoise()) : "";
    }

    public static List<Metric> metrics(EvalReport r) {
        List<Metric> metrics = new ArrayList<>();
        metrics.add(new Metric(
                "R-precision R@1 (" + r.distractors() + " distractors, chance " + format(1.0 / (r.distractors() + 1))
                        + ")",
                format(r.rPrecision())));
        metrics.add(new Metric("R@5", format(r.rPrecisionAt5())));
        metrics.add(new Metric("Mean cosine (judge)", format(r.meanCosine())));
        metrics.add(new Metric("CLIPScore 2.5·max(cos, 0)", format(r.clipScore())));
        if (r.frechetDistance() != null) {
            metrics.add(
                    new Metric("Fréchet distance to " + r.realImages() + " real images", format(r.frechetDistance())));
        }
        if (r.realFrechetFloor() != null) {
            metrics.add(new Metric("Same, between two halves of the real images", format(r.realFrechetFloor())));
        }
        EvalReport.PictureScores pictures = r.pictures();
        if (pictures != null) {
            metrics.add(
                    pictures.relativeSharpness() == null
                            ? new Metric(
                                    "Sharpness (high-frequency power; no real images to compare)",
                                    format(pictures.sharpness()))
                            : new Metric(
                                    "Sharpness relative to the real images (high-frequency power: "
                                            + format(pictures.sharpness()) + " against "
                                            + format(pictures.realSharpness()) + ")",
                                    format(pictures.relativeSharpness())));
            if (pictures.grid() != null) {
                metrics.add(
                        pictures.relativeGrid() == null
                                ? new Metric(
                                        "Grid (share of high frequencies on the stride-2 grid; no real images to"
                                                + " compare)",
                                        format(pictures.grid()))
                                : new Metric(
                                        "Grid relative to the real images (share of high frequencies on the stride-2"
                                                + " grid: " + format(pictures.grid()) + " against "
                                                + format(pictures.realGrid()) + ")",
                                        format(pictures.relativeGrid())));
            }
        }
        if (r.diversity() != null) {
            EvalReport.Diversity d = r.diversity();
            metrics.add(new Metric(
                    "Seed spread (" + d.prompts() + " prompts drawn " + d.draws() + " times: judge distance between"
                            + " draws of one prompt, " + format(d.withinPrompts()) + ", as a share of that between"
                            + " prompts, " + format(d.betweenPrompts()) + "; 0 draws the same picture for every seed)",
                    format(d.seedSpread())));
        }
        if (r.variety() != null) {
            EvalReport.Variety v = r.variety();
            metrics.add(new Metric(
                    "Seed variety in pixels (" + v.prompts() + " prompts, " + v.draws() + " draws and " + v.draws()
                            + " renders each: the seed spread in pixels, "
                            + format(v.pixels().decoderSpread())
                            + ", as a share of that of Pastoral-Synth renders of the same scene descriptions with the"
                            + " layout drawn afresh, " + format(v.pixels().rendersSpread())
                            + "; 1 varies as much as the scenes do)",
                    format(v.pixels().variety())));
            metrics.add(new Metric(
                    "Seed variety in judge space (the same in judge-CLIP distances: "
                            + format(v.judge().decoderSpread()) + " against the renders' "
                            + format(v.judge().rendersSpread()) + ")",
                    format(v.judge().variety())));
        }
        if (r.edges() != null) {
            EvalReport.EdgeColumns e = r.edges();
            metrics.add(
                    e.relative() == null
                            ? new Metric(
                                    "Edge columns (the strongest column within 8 px of the left or right edge in the"
                                            + " mean gradient profile, in robust deviations of the interior; no real"
                                            + " images to compare)",
                                    format(e.anomaly()))
                            : new Metric(
                                    "Edge columns relative to the real images (the strongest column within 8 px of"
                                            + " the left or right edge in the mean gradient profile, in robust"
                                            + " deviations of the interior: " + format(e.anomaly()) + " against "
                                            + format(e.realAnomaly()) + "; 1 has no more edge lines than they do)",
                                    format(e.relative())));
        }
        for (Map.Entry<String, EvalReport.AttributeScore> a : r.attributes().entrySet()) {
            List<String> misread = a.getValue().commonestMisreadings(3);
            metrics.add(new Metric(
                    a.getKey() + " accuracy (" + a.getValue().images() + " images"
                            + (misread.isEmpty() ? "" : "; most often misread: " + String.join(", ", misread)) + ")",
                    format(a.getValue().accuracy())));
        }
        if (r.bestValidationLoss() != null) {
            metrics.add(
                    new Metric("Best validation loss (epoch " + r.bestEpoch() + ")", format(r.bestValidationLoss())));
        }
        return metrics;
    }

    /** The attributes' misread examples, attribute by attribute. */
    public static List<EvalReport.Sample> misreadExamples(EvalReport r) {
        return r.attributes().values().stream()
                .flatMap(a -> a.misreadExamples().stream())
                .toList();
    }

    public static List<Detector> detectors(EvalReport r) {
        return r.detectors().entrySet().stream()
                .map(d -> new Detector(
                        d.getKey(),
                        format(d.getValue().accuracyOnRenders()),
                        format(d.getValue().accuracyOnBlurredRenders()),
                        d.getValue().used() ? "yes" : "no (below " + EvalReport.REQUIRED_DETECTOR_ACCURACY + ")"))
                .toList();
    }

    /** "pixels / judge" seed variety, or "n/a". */
    public static String variety(EvalReport r) {
        return r.variety() == null
                ? "n/a"
                : format(r.variety().pixels().variety()) + " / "
                        + format(r.variety().judge().variety());
    }

    /** Three decimals, or one for values of a hundred and more (losses). */
    public static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3f", value);
    }

    /** {@link #format} for values a report may lack. */
    public static String format(Double value) {
        return value == null ? "n/a" : format(value.doubleValue());
    }
}
