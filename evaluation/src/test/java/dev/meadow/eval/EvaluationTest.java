package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.meadow.contracts.EvalReport;
import dev.meadow.dataset.Snapshot;
import dev.meadow.image.ImageArrays;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.Sampling;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EvaluationTest {

    private static AttributeDetectors detectors;

    @BeforeAll
    static void detectors() {
        detectors = AttributeDetectors.train(1200, 300, 3);
    }

    @Test
    void judgesATinyDecoderReproducibly() {
        TinyModels models = TinyModels.get();
        Snapshot snapshot = Snapshot.read(models.snapshot());
        List<EvalPrompt> prompts = EvalPrompts.fromSnapshot(snapshot, 1);
        List<BufferedImage> real = new ArrayList<>();
        for (String file : snapshot.imageFiles()) {
            real.add(snapshot.readImage(file));
        }
        var settings = new Evaluation.Settings(5, 99, 8);
        try (Decoder decoder = Decoder.load(models.decoder());
                ClipModel clip = ClipModel.load(models.clip())) {
            List<Integer> progress = new ArrayList<>();
            Evaluation.Outcome firstOutcome =
                    Evaluation.run("r1", decoder, clip, clip, prompts, real, detectors, settings, progress::add);
            EvalReport first = firstOutcome.report();
            EvalReport second = Evaluation.run(
                            "r2", decoder, clip, clip, prompts, real, detectors, settings, done -> {})
                    .report();

            assertThat(first.images()).isEqualTo(prompts.size());
            assertThat(progress).contains(prompts.size()).last().isEqualTo(Evaluation.pictures(prompts.size()));
            assertThat(first.rPrecision()).isBetween(0.0, 1.0);
            assertThat(first.rPrecisionAt5()).isGreaterThanOrEqualTo(first.rPrecision());
            assertThat(first.frechetDistance()).isNotNull().isPositive();
            assertThat(first.realFrechetFloor()).isNotNull().isPositive();
            assertThat(first.samples()).hasSize(8);
            assertThat(first.samples().get(0).expected()).containsKeys("ground").doesNotContainKey("animals");
            assertThat(first.detectors()).containsOnlyKeys("sky", "ground", "snow");
            assertThat(first.sceneJudgeModelId()).isNull();
            first.detectors()
                    .forEach((key, score) -> assertThat(first.attributes().containsKey(key))
                            .as(key)
                            .isEqualTo(score.used()));
            // Same seeds, same decoder, same judge: the same numbers.
            assertThat(second.rPrecision()).isEqualTo(first.rPrecision());
            assertThat(second.frechetDistance()).isEqualTo(first.frechetDistance());
            assertThat(second.attributes()).isEqualTo(first.attributes());
            assertMisreadingsAgreeWithTheirPictures(firstOutcome);
            // The real pictures are measured at the decoder's 32 pixels; too small for a grid measure.
            assertThat(first.pictures().realSharpness()).isNotNull().isPositive();
            assertThat(first.pictures().sharpness()).isPositive();
            assertThat(first.pictures().grid()).isNull();
            assertThat(second.pictures()).isEqualTo(first.pictures());
            // The first prompts drawn four times more: a tiny decoder's seeds still draw different pictures.
            assertThat(first.diversity().prompts()).isEqualTo(Math.min(prompts.size(), Evaluation.SPREAD_PROMPTS));
            assertThat(first.diversity().draws()).isEqualTo(Evaluation.SPREAD_DRAWS);
            assertThat(first.diversity().withinPrompts()).isPositive();
            assertThat(first.diversity().seedSpread()).isPositive();
            assertThat(second.diversity()).isEqualTo(first.diversity());
            assertThat(first.conditionNoise()).isZero();

            // Conditions drawn around each prompt: other pictures, more spread, and the report says how far.
            var noisy = Evaluation.run(
                    "r3",
                    decoder,
                    clip,
                    clip,
                    prompts,
                    real,
                    detectors,
                    new Evaluation.Settings(5, 99, 8, 1f, 1, 1f),
                    done -> {});
            assertThat(noisy.report().conditionNoise()).isEqualTo(1.0);
            assertThat(dev.meadow.contracts.EvalReportSummary.description(noisy.report()))
                    .endsWith(", condition noise 1.00.");
            assertThat(noisy.report().diversity().seedSpread())
                    .isGreaterThan(first.diversity().seedSpread());
            assertThat(ImageArrays.toFloats(noisy.sampleImages().get(0)))
                    .isNotEqualTo(ImageArrays.toFloats(
                            Evaluation.run("r4", decoder, clip, clip, prompts, real, detectors, settings, done -> {})
                                    .sampleImages()
                                    .get(0)));
            assertThatThrownBy(() -> new Evaluation.Settings(5, 99, 8, 1f, 1, 5f))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("condition noise must be between 0 and 4.0");

            // A decoder whose card asks for noise is judged as the services draw it, unless told otherwise.
            try (Decoder noisyDecoder = Decoder.load(models.decoderCopyWithConditionNoise("cvae-noisy-eval", 1.0))) {
                var own =
                        Evaluation.run("r5", noisyDecoder, clip, clip, prompts, real, detectors, settings, done -> {});
                assertThat(own.report().conditionNoise()).isEqualTo(1.0);
                assertThat(own.report().rPrecision()).isEqualTo(noisy.report().rPrecision());
                assertThat(own.report().diversity()).isEqualTo(noisy.report().diversity());
                assertThat(ImageArrays.toFloats(own.sampleImages().get(0)))
                        .isEqualTo(ImageArrays.toFloats(noisy.sampleImages().get(0)));
                var off = Evaluation.run(
                        "r6",
                        noisyDecoder,
                        clip,
                        clip,
                        prompts,
                        real,
                        detectors,
                        new Evaluation.Settings(5, 99, 8, 1f, 1, 0f),
                        done -> {});
                assertThat(off.report().conditionNoise()).isZero();
                assertThat(off.report().diversity()).isEqualTo(first.diversity());
            }
        }
    }

    @Test
    void theSceneJudgeReadsObjectsAndTheSeedsAreMeasuredAgainstRenders() {
        TinyModels models = TinyModels.get();
        Snapshot snapshot = Snapshot.read(models.snapshot());
        List<EvalPrompt> prompts = EvalPrompts.fromSnapshot(snapshot, 1);
        List<BufferedImage> real = new ArrayList<>();
        for (String file : snapshot.imageFiles()) {
            real.add(snapshot.readImage(file));
        }
        try (Decoder decoder = Decoder.load(models.decoder());
                ClipModel clip = ClipModel.load(models.clip());
                dev.meadow.model.judge.SceneJudge sceneJudge =
                        dev.meadow.model.judge.SceneJudge.load(SceneJudgeGateTest.SHIPPED)) {
            AttributeDetectors withJudge = detectors.withSceneJudge(sceneJudge);
            Evaluation.Outcome outcome = Evaluation.run(
                    "objects",
                    decoder,
                    clip,
                    clip,
                    prompts,
                    real,
                    withJudge,
                    new Evaluation.Settings(5, 99, 8),
                    done -> {});
            EvalReport report = outcome.report();
            assertThat(report.sceneJudgeModelId()).isEqualTo("meadow-scene-judge-v1");
            // Every head is reported with its accuracy on renders; the trusted ones judge the pictures.
            assertThat(report.detectors()).containsKeys("animals", "animalKind", "barn", "mountains", "closeUp");
            assertThat(report.detectors().get("barn").used()).isTrue();
            assertThat(report.attributes()).containsKeys("animals", "barn", "mountains");
            assertThat(report.attributes()).doesNotContainKey("sunOrMoon");
            assertThat(report.samples().get(0).detected()).containsKeys("barn", "sky");
            assertMisreadingsAgreeWithTheirPictures(outcome);
            // The tiny decoder's seeds against renders of the same scene descriptions, in both spaces.
            EvalReport.Variety variety = report.variety();
            assertThat(variety.prompts()).isEqualTo(Math.min(prompts.size(), Evaluation.SPREAD_PROMPTS));
            assertThat(variety.pixels().rendersWithin())
                    .isPositive()
                    .isLessThan(variety.pixels().rendersBetween());
            assertThat(variety.judge().rendersWithin()).isPositive();
            assertThat(variety.pixels().withinPrompts()).isPositive();
            assertThat(variety.judge().withinPrompts())
                    .isEqualTo(report.diversity().withinPrompts());
            assertThat(report.edges().anomaly()).isPositive();
            assertThat(report.edges().realAnomaly()).isPositive();
        }
    }

    /**
     * Each misreading counted has its first pictures kept, each showing that misreading, and the counts add up to the
     * accuracy.
     */
    private static void assertMisreadingsAgreeWithTheirPictures(Evaluation.Outcome outcome) {
        EvalReport report = outcome.report();
        int examples = 0;
        for (var attribute : report.attributes().entrySet()) {
            String key = attribute.getKey();
            EvalReport.AttributeScore score = attribute.getValue();
            int misread = score.misread().values().stream()
                    .flatMap(read -> read.values().stream())
                    .mapToInt(Integer::intValue)
                    .sum();
            assertThat(score.accuracy()).as(key).isCloseTo(1.0 - (double) misread / score.images(), within(1e-9));
            score.misread()
                    .forEach((asked, reads) -> reads.forEach((read, count) -> {
                        assertThat(read).as(key).isNotEqualTo(asked);
                        assertThat(score.misreadExamples())
                                .as(key + " " + asked + " as " + read)
                                .filteredOn(s -> asked.equals(s.expected().get(key))
                                        && read.equals(s.detected().get(key)))
                                .hasSize(Math.min(count, Evaluation.MISREAD_EXAMPLES))
                                .allSatisfy(s -> assertThat(s.file())
                                        .startsWith("misread-" + key + "-" + asked + "-as-" + read));
                    }));
            examples += score.misreadExamples().size();
            score.misreadExamples()
                    .forEach(s -> assertThat(report.namesPicture(s.file())).isTrue());
        }
        assertThat(examples).as("a tiny decoder's pictures are misread").isPositive();
        assertThat(outcome.misreadImages()).hasSize(examples);
        assertThat(report.namesPicture("report.json")).isFalse();
    }

    @Test
    void rerankedCandidatesNeverScoreBelowTheFirstDrawWhenTheJudgeIsTheReranker() {
        TinyModels models = TinyModels.get();
        List<EvalPrompt> prompts = EvalPrompts.fromSnapshot(Snapshot.read(models.snapshot()), 1);
        try (Decoder decoder = Decoder.load(models.decoder());
                ClipModel clip = ClipModel.load(models.clip())) {
            EvalReport plain = Evaluation.run(
                            "plain",
                            decoder,
                            clip,
                            clip,
                            prompts,
                            List.of(),
                            detectors,
                            new Evaluation.Settings(5, 9, 4),
                            done -> {})
                    .report();
            EvalReport reranked = Evaluation.run(
                            "best-of-8",
                            decoder,
                            clip,
                            clip,
                            prompts,
                            List.of(),
                            detectors,
                            new Evaluation.Settings(5, 9, 4, 1f, 8),
                            done -> {})
                    .report();
            // Candidate 0 is the plain draw, so with the reranking CLIP as judge no image can score lower.
            assertThat(plain.candidates()).isEqualTo(1);
            assertThat(reranked.candidates()).isEqualTo(8);
            assertThat(reranked.meanCosine()).isGreaterThan(plain.meanCosine());
            assertThat(plain.samples()).extracting(EvalReport.Sample::seed).containsExactly(5L, 6L, 7L, 8L);
            for (int i = 0; i < 4; i++) {
                long requestSeed = 5 + i;
                // A kept sample records the seed of the candidate that won, which reproduces it alone.
                assertThat(java.util.stream.IntStream.range(0, 8)
                                .mapToObj(c -> ClipReranker.candidateSeed(requestSeed, c))
                                .toList())
                        .contains(reranked.samples().get(i).seed());
            }
        }
    }

    @Test
    void promptsFromASnapshotCarryTheSceneAttributes() {
        Snapshot snapshot = Snapshot.read(TinyModels.get().snapshot());
        List<EvalPrompt> prompts = EvalPrompts.fromSnapshot(snapshot, 1);
        assertThat(prompts).hasSize(snapshot.size());
        EvalPrompt first = prompts.get(0);
        assertThat(snapshot.captionsByImage().get(snapshot.imageFiles().get(0))).contains(first.prompt());
        assertThat(Attribute.GROUND.of(first.attributes()))
                .isEqualTo(snapshot.manifest().images().get(0).attributes().get("ground"));
    }

    @Test
    void temperatureScalesTheLatents() {
        try (Decoder decoder = Decoder.load(TinyModels.get().decoder())) {
            int dim = decoder.conditionDim();
            int pixels = decoder.imageSize() * decoder.imageSize() * 3;
            float[] conditions = new float[2 * dim];
            for (int i = 0; i < dim; i++) {
                conditions[i] = conditions[dim + i] = (float) Math.sin(i + 1.0) / (float) Math.sqrt(dim / 2.0);
            }
            long[] seeds = {1, 2};
            float[] cold = decoder.decode(conditions, seeds, Sampling.PLAIN.withTemperature(0f));
            assertThat(Arrays.copyOfRange(cold, 0, pixels))
                    .containsExactly(Arrays.copyOfRange(cold, pixels, 2 * pixels));
            float[] warm = decoder.decode(conditions, seeds, Sampling.PLAIN);
            assertThat(warm).containsExactly(decoder.decode(conditions, seeds));
            assertThat(Arrays.copyOfRange(warm, 0, pixels)).isNotEqualTo(Arrays.copyOfRange(warm, pixels, 2 * pixels));
            int latent = decoder.card().latentDim();
            float[] halfZ = new float[2 * latent];
            for (int k = 0; k < 2; k++) {
                float[] z = Decoder.latent(seeds[k], latent);
                for (int i = 0; i < latent; i++) {
                    halfZ[k * latent + i] = z[i] * 0.5f;
                }
            }
            assertThat(decoder.decode(conditions, seeds, Sampling.PLAIN.withTemperature(0.5f)))
                    .containsExactly(decoder.decodeLatents(conditions, halfZ, 2));
            assertThatThrownBy(() -> decoder.decode(conditions, seeds, Sampling.PLAIN.withTemperature(-1f)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("temperature");
        }
    }

    @Test
    void reportsWrittenBeforeTemperatureAndCandidatesWereRecordedReadAsOne() throws Exception {
        var mapper = dev.meadow.contracts.Json.mapper();
        EvalReport report = new EvalReport(
                "r",
                "m",
                "small-64",
                "image",
                64,
                "c",
                "j",
                null,
                null,
                1,
                0,
                0.5,
                8,
                null,
                99,
                0.1,
                0.2,
                0.3,
                0.4,
                null,
                null,
                0,
                null,
                null,
                java.util.Map.of(),
                java.util.Map.of(),
                List.of(),
                1.0,
                java.time.Instant.EPOCH,
                null,
                null,
                null,
                null);
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(report);
        assertThat(mapper.treeToValue(json, EvalReport.class).temperature()).isEqualTo(0.5);
        assertThat(mapper.treeToValue(json, EvalReport.class).candidates()).isEqualTo(8);
        json.remove("temperature");
        json.remove("candidates");
        json.remove("pictures");
        json.remove("diversity");
        assertThat(mapper.treeToValue(json, EvalReport.class).temperature()).isEqualTo(1.0);
        assertThat(mapper.treeToValue(json, EvalReport.class).candidates()).isEqualTo(1);
        assertThat(mapper.treeToValue(json, EvalReport.class).pictures())
                .as("written before pictures were measured")
                .isNull();
        assertThat(mapper.treeToValue(json, EvalReport.class).diversity())
                .as("written before the seed spread was measured")
                .isNull();
        json.remove("conditionNoise");
        assertThat(mapper.treeToValue(json, EvalReport.class).conditionNoise()).isZero();
        // Reports written before the scene judge, seed variety, edge columns and the prior still read.
        json.remove("sceneJudgeModelId");
        json.remove("variety");
        json.remove("edges");
        json.remove("priorModelId");
        EvalReport old = mapper.treeToValue(json, EvalReport.class);
        assertThat(old.variety()).isNull();
        assertThat(old.edges()).isNull();
        assertThat(dev.meadow.contracts.EvalReportSummary.metrics(old)).isNotEmpty();
        assertThat(dev.meadow.contracts.EvalReportSummary.description(old)).doesNotContain("prior");
    }

    @Test
    void promptFilesRoundTripAndBadLinesAreNamed(@TempDir Path dir) throws Exception {
        List<EvalPrompt> prompts =
                EvalPrompts.fromSnapshot(Snapshot.read(TinyModels.get().snapshot()), 2);
        Path file = dir.resolve("prompts.jsonl");
        EvalPrompts.write(file, prompts);
        List<EvalPrompt> read = EvalPrompts.read(file);
        assertThat(read)
                .extracting(EvalPrompt::prompt)
                .isEqualTo(prompts.stream().map(EvalPrompt::prompt).toList());
        assertThat(Attribute.GROUND.of(read.get(3).attributes()))
                .isEqualTo(Attribute.GROUND.of(prompts.get(3).attributes()));

        Files.writeString(
                dir.resolve("bad.jsonl"),
                "{\"prompt\": \"a cow\"}\n\n{\"prompt\": \"sheep\", " + "\"attributes\": {\"sky\": \"purple\"}}\n");
        assertThatThrownBy(() -> EvalPrompts.read(dir.resolve("bad.jsonl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("sky must be one of");
        Files.writeString(dir.resolve("text.jsonl"), "a cow\n");
        assertThatThrownBy(() -> EvalPrompts.read(dir.resolve("text.jsonl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1");
    }
}
