package dev.meadow.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EvalReportSummaryTest {

    private static EvalReport report(Double frechet, Integer candidates, Double bestLoss) {
        Map<String, EvalReport.AttributeScore> attributes = new LinkedHashMap<>();
        attributes.put("sky", new EvalReport.AttributeScore(0.9534, 480));
        attributes.put(
                "ground",
                new EvalReport.AttributeScore(
                        0.9,
                        500,
                        Map.of("field", Map.of("grass", 30, "soil", 4), "soil", Map.of("field", 16)),
                        List.of()));
        Map<String, EvalReport.DetectorScore> detectors = new LinkedHashMap<>();
        detectors.put("sky", new EvalReport.DetectorScore(0.99, 0.97, true));
        detectors.put("snow", new EvalReport.DetectorScore(0.61, 0.5, false));
        return new EvalReport(
                "e1",
                "dec-1",
                "small-64",
                "image",
                64,
                "clip-1",
                "judge-1",
                12,
                bestLoss,
                500,
                7L,
                0.7,
                candidates,
                0.0,
                99,
                0.1716,
                0.42,
                0.25,
                0.6251,
                frechet,
                0.05,
                400,
                frechet == null ? null : new EvalReport.PictureScores(0.12, 0.30, 0.36, 0.07),
                frechet == null ? null : new EvalReport.Diversity(64, 4, 0.05, 0.25),
                attributes,
                detectors,
                List.of(),
                12.5,
                Instant.parse("2026-11-30T10:00:00Z"),
                frechet == null ? null : "meadow-scene-judge-v1",
                frechet == null
                        ? null
                        : new EvalReport.Variety(
                                64,
                                4,
                                new EvalReport.Spread(0.05, 0.25, 0.10, 0.25),
                                new EvalReport.Spread(0.04, 0.20, 0.08, 0.16)),
                frechet == null ? null : new EvalReport.EdgeColumns(49.0, 2.9),
                null);
    }

    @Test
    void describesTheDecoderTheSamplingAndTheJudge() {
        assertThat(EvalReportSummary.description(report(0.66, 16, null)))
                .isEqualTo("Decoder dec-1 (small-64, image conditioning, 64px), prompted with text embeddings of CLIP"
                        + " clip-1, judged by CLIP judge-1 and scene judge meadow-scene-judge-v1; 500 images, seed 7,"
                        + " latent temperature 0.70, best of 16"
                        + " candidates by CLIP clip-1.");
        assertThat(EvalReportSummary.description(report(0.66, 1, null))).endsWith("latent temperature 0.70.");
    }

    @Test
    void listsEveryMeasuredValueOnceAndLeavesOutWhatWasNotMeasured() {
        List<EvalReportSummary.Metric> full = EvalReportSummary.metrics(report(0.6653, 1, 1234.56));
        assertThat(full)
                .contains(
                        new EvalReportSummary.Metric("R-precision R@1 (99 distractors, chance 0.010)", "0.172"),
                        new EvalReportSummary.Metric("Fréchet distance to 400 real images", "0.665"),
                        new EvalReportSummary.Metric("sky accuracy (480 images)", "0.953"),
                        new EvalReportSummary.Metric(
                                "Sharpness relative to the real images (high-frequency power: 0.120 against 0.360)",
                                "0.333"),
                        new EvalReportSummary.Metric(
                                "Grid relative to the real images (share of high frequencies on the stride-2 grid:"
                                        + " 0.300 against 0.070)",
                                "4.286"),
                        new EvalReportSummary.Metric(
                                "Seed spread (64 prompts drawn 4 times: judge distance between draws of one prompt,"
                                        + " 0.050, as a share of that between prompts, 0.250; 0 draws the same picture"
                                        + " for every seed)",
                                "0.200"),
                        new EvalReportSummary.Metric("Best validation loss (epoch 12)", "1234.6"),
                        new EvalReportSummary.Metric(
                                "Seed variety in pixels (64 prompts, 4 draws and 4 renders each: the seed spread in"
                                        + " pixels, 0.200, as a share of that of Pastoral-Synth renders of the same"
                                        + " scene descriptions with the layout drawn afresh, 0.500; 1 varies as much as"
                                        + " the scenes do)",
                                "0.400"),
                        new EvalReportSummary.Metric(
                                "Seed variety in judge space (the same in judge-CLIP distances: 0.200 against the"
                                        + " renders' 0.400)",
                                "0.500"),
                        new EvalReportSummary.Metric(
                                "Edge columns relative to the real images (the strongest column within 8 px of the"
                                        + " left or right edge in the mean gradient profile, in robust deviations of"
                                        + " the interior: 49.000 against 2.900; 1 has no more edge lines than they do)",
                                "16.897"));
        assertThat(EvalReportSummary.description(report(0.6653, 1, 1234.56)))
                .contains("judged by CLIP judge-1 and scene judge meadow-scene-judge-v1;");
        assertThat(EvalReportSummary.variety(report(0.6653, 1, 1234.56))).isEqualTo("0.400 / 0.500");
        assertThat(EvalReportSummary.variety(report(null, 1, null))).isEqualTo("n/a");
        List<EvalReportSummary.Metric> bare = EvalReportSummary.metrics(report(null, 1, null));
        assertThat(bare)
                .extracting(EvalReportSummary.Metric::name)
                .noneMatch(name -> name.startsWith("Fréchet distance")
                        || name.startsWith("Best validation")
                        || name.startsWith("Sharpness")
                        || name.startsWith("Seed spread")
                        || name.startsWith("Seed variety")
                        || name.startsWith("Edge columns"));
        assertThat(full.size() - bare.size()).isEqualTo(8);
    }

    @Test
    void withoutRealImagesThePicturesAreGivenAsMeasuredAndWithoutAGridBelow64Pixels() {
        EvalReport report = report(null, 1, null);
        EvalReport alone = new EvalReport(
                report.id(),
                report.modelId(),
                report.preset(),
                report.conditioning(),
                32,
                report.clipModelId(),
                report.judgeModelId(),
                report.bestEpoch(),
                report.bestValidationLoss(),
                report.images(),
                report.seed(),
                report.temperature(),
                report.candidates(),
                report.conditionNoise(),
                report.distractors(),
                report.rPrecision(),
                report.rPrecisionAt5(),
                report.meanCosine(),
                report.clipScore(),
                null,
                null,
                0,
                new EvalReport.PictureScores(0.2, null, null, null),
                null,
                report.attributes(),
                report.detectors(),
                report.samples(),
                report.seconds(),
                report.createdAt(),
                null,
                null,
                null,
                null);

        assertThat(EvalReportSummary.metrics(alone))
                .contains(new EvalReportSummary.Metric(
                        "Sharpness (high-frequency power; no real images to compare)", "0.200"))
                .extracting(EvalReportSummary.Metric::name)
                .noneMatch(name -> name.startsWith("Grid"));
        assertThat(alone.pictures().relativeSharpness()).isNull();
        assertThat(alone.pictures().relativeGrid()).isNull();
    }

    @Test
    void saysWhichDetectorsWereTrustedAndWhy() {
        assertThat(EvalReportSummary.detectors(report(null, 1, null)))
                .containsExactly(
                        new EvalReportSummary.Detector("sky", "0.990", "0.970", "yes"),
                        new EvalReportSummary.Detector("snow", "0.610", "0.500", "no (below 0.95)"));
    }

    @Test
    void namesTheCommonestMisreadingsOfAnAttributeFirst() {
        assertThat(EvalReportSummary.metrics(report(null, 1, null)))
                .contains(new EvalReportSummary.Metric(
                        "ground accuracy (500 images; most often misread: field as grass 30, soil as field 16,"
                                + " field as soil 4)",
                        "0.900"));
        assertThat(new EvalReport.AttributeScore(0.9, 500, Map.of("field", Map.of("grass", 30)), null)
                        .commonestMisreadings(0))
                .isEmpty();
    }

    @Test
    void formatsAbsentValuesAsNotAvailable() {
        assertThat(EvalReportSummary.format((Double) null)).isEqualTo("n/a");
        assertThat(EvalReportSummary.format(0.12345)).isEqualTo("0.123");
    }
}
