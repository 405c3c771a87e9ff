package dev.meadow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.meadow.files.Directories;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The researcher's workflow, end to end with tiny settings: synth, train-clip, train, generate. */
@Tag("integration")
class OfflineCommandsTest {

    @TempDir
    static Path dir;

    static Path data;
    static Path clip;
    static Path model;
    static Path judge;

    @BeforeAll
    static void trainTinyModels() {
        data = dir.resolve("synth");
        clip = dir.resolve("clip");
        model = dir.resolve("decoder");
        UpCommandTest.Run synth =
                UpCommandTest.run("synth", "--count", "120", "--size", "32", "--seed", "3", "--out", data.toString());
        assertThat(synth.exitCode()).as(synth.err()).isZero();
        assertThat(synth.out()).contains("Wrote 120 images (32x32) and");

        UpCommandTest.Run trainClip = UpCommandTest.run(
                "train-clip",
                "--data",
                data.toString(),
                "--out",
                clip.toString(),
                "--epochs",
                "1",
                "--image-size",
                "32",
                "--dimension",
                "16",
                "--held-out",
                "20",
                "--batch-size",
                "16",
                "--id",
                "clip-tiny");
        assertThat(trainClip.exitCode()).as(trainClip.err()).isZero();
        assertThat(trainClip.out()).contains("Text-to-image retrieval on 20 held-out pairs: R@1");

        judge = dir.resolve("judge");
        UpCommandTest.Run trainJudge = UpCommandTest.run(
                "train-clip",
                "--data",
                data.toString(),
                "--out",
                judge.toString(),
                "--epochs",
                "1",
                "--image-size",
                "32",
                "--dimension",
                "16",
                "--held-out",
                "20",
                "--batch-size",
                "16",
                "--seed",
                "9",
                "--id",
                "clip-judge");
        assertThat(trainJudge.exitCode()).as(trainJudge.err()).isZero();

        UpCommandTest.Run train = train(model, "--conditioning", "image", "--epochs", "2", "--id", "tiny-test");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out())
                .contains("epoch | train: total")
                .contains("<- best")
                .contains("Decoder tiny-test (tiny-32, image conditioning");
    }

    @Test
    void synthWritesASnapshotWithSceneAttributes() throws IOException {
        assertThat(Files.list(data.resolve("images")).count()).isEqualTo(120);
        assertThat(Files.readString(data.resolve("manifest.json")))
                .contains("\"sky\"")
                .contains("\"ground\"");
        assertThat(Files.readAllLines(data.resolve("captions.jsonl"))).hasSizeGreaterThanOrEqualTo(120 * 3);
    }

    @Test
    void modelsLoadThroughTheirContracts() {
        try (ClipModel c = ClipModel.load(clip);
                Decoder d = Decoder.load(model)) {
            assertThat(c.dimension()).isEqualTo(16);
            assertThat(d.card().clipModelId()).isEqualTo("clip-tiny");
            assertThat(d.card().history()).hasSize(2);
            float[] e = c.encodeText("two brown cows on green grass under a blue sky");
            double norm = 0;
            for (float v : e) {
                norm += v * v;
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void generateWritesPngsThatCarryTheirParameters() throws IOException {
        Path out = dir.resolve("images");
        UpCommandTest.Run run = UpCommandTest.run(
                "generate",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "a white sheep in the snow",
                "--seed",
                "7",
                "--count",
                "2",
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("a-white-sheep-in-the-snow-7.png", "a-white-sheep-in-the-snow-8.png");
        byte[] png = Files.readAllBytes(files.get(0));
        BufferedImage image = Png.decode(png);
        assertThat(image.getWidth()).isEqualTo(32);
        Map<String, String> text = Png.readText(png);
        assertThat(text)
                .containsEntry("prompt", "a white sheep in the snow")
                .containsEntry("seed", "7")
                .containsEntry("model", "tiny-test")
                .containsEntry("clip_model", "clip-tiny");
        assertThat(text.get("parameters"))
                .startsWith("a white sheep in the snow\nSteps: 1, Sampler: CVAE decoder, "
                        + "Seed: 7, Size: 32x32, Model: tiny-test");

        // The same prompt and seed again: the same pixels.
        Path again = dir.resolve("again");
        UpCommandTest.run(
                "generate",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "a white sheep in the snow",
                "--seed",
                "7",
                "--out",
                again.toString());
        BufferedImage second = Png.decode(Files.readAllBytes(again.resolve("a-white-sheep-in-the-snow-7.png")));
        assertThat(second.getRGB(0, 0, 32, 32, null, 0, 32)).isEqualTo(image.getRGB(0, 0, 32, 32, null, 0, 32));
    }

    @Test
    void relativeOutputDirectoriesWork() throws IOException {
        Path relative = Path.of("target", "relative-decoder-" + System.nanoTime());
        try {
            UpCommandTest.Run train = UpCommandTest.run(
                    "train",
                    "--data",
                    data.toString(),
                    "--clip",
                    clip.toString(),
                    "--preset",
                    "tiny-32",
                    "--epochs",
                    "1",
                    "--batch-size",
                    "16",
                    "--out",
                    relative.toString(),
                    "--id",
                    "tiny-relative");
            assertThat(train.exitCode()).as(train.err()).isZero();
            assertThat(relative.resolve("model.json")).exists();
        } finally {
            for (Path p : List.of(relative, Path.of(relative + ".work"))) {
                Directories.deleteRecursively(p);
            }
        }
    }

    @Test
    void badInputIsAClearMessageAndExitCode2() {
        UpCommandTest.Run preset = UpCommandTest.run(
                "train",
                "--data",
                data.toString(),
                "--clip",
                clip.toString(),
                "--preset",
                "huge-512",
                "--out",
                dir.resolve("x").toString());
        assertThat(preset.exitCode()).isEqualTo(2);
        assertThat(preset.err()).contains("unknown preset 'huge-512'").contains("small-64");

        UpCommandTest.Run missing = UpCommandTest.run(
                "generate",
                "--model",
                dir.resolve("nope").toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "cow",
                "--out",
                dir.resolve("o").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("model " + dir.resolve("nope") + " does not exist");

        UpCommandTest.Run wrongKind = UpCommandTest.run(
                "generate",
                "--model",
                clip.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "cow",
                "--out",
                dir.resolve("o").toString());
        assertThat(wrongKind.exitCode()).isEqualTo(2);
        assertThat(wrongKind.err()).contains("is not a Meadow decoder").contains("(it is a CLIP model)");

        UpCommandTest.Run notSnapshot = UpCommandTest.run(
                "train-clip",
                "--data",
                clip.toString(),
                "--out",
                dir.resolve("c2").toString());
        assertThat(notSnapshot.exitCode()).isEqualTo(2);
        assertThat(notSnapshot.err()).contains("is not a dataset snapshot: manifest.json is missing");

        UpCommandTest.Run conditioning = UpCommandTest.run(
                "train",
                "--data",
                data.toString(),
                "--clip",
                clip.toString(),
                "--conditioning",
                "telepathy",
                "--out",
                dir.resolve("y").toString());
        assertThat(conditioning.exitCode()).isEqualTo(2);
        assertThat(conditioning.err()).contains("unknown conditioning mode 'telepathy'");

        UpCommandTest.Run negativeWeight = UpCommandTest.run(
                "train",
                "--data",
                data.toString(),
                "--clip",
                clip.toString(),
                "--clip-weight",
                "-1",
                "--out",
                dir.resolve("w").toString());
        assertThat(negativeWeight.exitCode()).isEqualTo(2);
        assertThat(negativeWeight.err()).contains("CLIP-consistency weight must not be negative");
        assertThat(dir.resolve("w")).doesNotExist();

        UpCommandTest.Run occupied = UpCommandTest.run("synth", "--count", "2", "--out", clip.toString());
        assertThat(occupied.exitCode()).isEqualTo(2);
        assertThat(occupied.err()).contains("is not empty");
    }

    @Test
    void trainPriorThenEvalDrawsEachConditionThroughIt() throws IOException {
        Path prior = dir.resolve("prior");
        UpCommandTest.Run trained = UpCommandTest.run(
                "train-prior",
                "--data",
                data.toString(),
                "--clip",
                clip.toString(),
                "--out",
                prior.toString(),
                "--epochs",
                "2",
                "--id",
                "prior-cli-test");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.out())
                .contains("epoch 2/2")
                .contains("Prior prior-cli-test for CLIP clip-tiny written to")
                .contains("held-out captions: a draw is");
        assertThat(prior.resolve("prior.json")).exists();

        Path out = dir.resolve("eval-prior");
        UpCommandTest.Run run = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prior",
                prior.toString(),
                "--prompts",
                data.toString(),
                "--out",
                out.toString(),
                "--detector-renders",
                "400",
                "--distractors",
                "19");
        assertThat(run.exitCode()).as(run.err()).isZero();
        var report = dev.meadow.contracts.Json.mapper()
                .readTree(out.resolve("report.json").toFile());
        assertThat(report.get("priorModelId").asText()).isEqualTo("prior-cli-test");
        assertThat(report.get("conditionNoise").asDouble())
                .as("the prior draws in place of the noise")
                .isZero();
        assertThat(Files.readString(out.resolve("index.html"))).contains("through prior prior-cli-test");

        // A prior of another CLIP is refused before anything is drawn.
        UpCommandTest.Run mismatched = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prior",
                clip.toString(),
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-prior-bad").toString());
        assertThat(mismatched.exitCode()).isEqualTo(2);
        assertThat(mismatched.err()).contains("is not a Meadow prior");

        // A prior of another CLIP, and a prior with condition noise: refused before the detectors train.
        Path foreign = dir.resolve("prior-foreign");
        org.apache.commons.io.file.PathUtils.copyDirectory(prior, foreign);
        Path card = foreign.resolve("prior.json");
        Files.writeString(card, Files.readString(card).replace("\"clip-tiny\"", "\"another-clip\""));
        UpCommandTest.Run otherClip = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prior",
                foreign.toString(),
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-prior-foreign").toString());
        assertThat(otherClip.exitCode()).isEqualTo(2);
        assertThat(otherClip.err()).contains("draws embeddings of CLIP another-clip");
        assertThat(otherClip.out()).doesNotContain("Training attribute detectors");
        UpCommandTest.Run noisy = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prior",
                prior.toString(),
                "--condition-noise",
                "0.5",
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-prior-noisy").toString());
        assertThat(noisy.exitCode()).isEqualTo(2);
        assertThat(noisy.err()).contains("--condition-noise and --prior do not go together");
    }

    @Test
    void evalWritesAReportWithEveryMetric() throws IOException {
        Path out = dir.resolve("eval");
        UpCommandTest.Run run = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prompts",
                data.toString(),
                "--out",
                out.toString(),
                "--detector-renders",
                "800",
                "--distractors",
                "19",
                "--samples",
                "4",
                "--misread-examples",
                "1",
                "--temperature",
                "0.5",
                "--candidates",
                "2",
                "--scene-judge",
                "../models/judge/meadow-scene-judge-v1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Scene judge meadow-scene-judge-v1")
                .contains("barn")
                .contains("sky")
                .contains("on unseen renders")
                .contains("R@1")
                .contains("FD")
                .contains("of the real pictures'")
                .contains("(temperature 0.50, best of 2 by CLIP clip-tiny)");
        var report = dev.meadow.contracts.Json.mapper()
                .readTree(out.resolve("report.json").toFile());
        assertThat(report.get("images").asInt()).isEqualTo(120);
        assertThat(report.get("distractors").asInt()).isEqualTo(19);
        assertThat(report.get("rPrecision").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("frechetDistance").asDouble()).isPositive();
        assertThat(report.get("pictures").get("sharpness").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("pictures").get("realSharpness").asDouble()).isPositive();
        assertThat(report.get("pictures").has("grid"))
                .as("no grid measure at 32 pixels")
                .isFalse();
        assertThat(report.get("judgeModelId").asText()).isEqualTo("clip-judge");
        assertThat(report.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(report.get("candidates").asInt()).isEqualTo(2);
        assertThat(report.get("detectors").get("sky").get("accuracyOnRenders").asDouble())
                .isPositive();
        assertThat(report.get("detectors")
                        .get("animalKind")
                        .get("accuracyOnRenders")
                        .asDouble())
                .isGreaterThan(0.95);
        assertThat(report.get("sceneJudgeModelId").asText()).isEqualTo("meadow-scene-judge-v1");
        assertThat(report.get("variety").get("pixels").get("rendersBetween").asDouble())
                .isPositive();
        assertThat(report.get("edges").get("realAnomaly").asDouble()).isPositive();
        assertThat(out.resolve("sample-003.png")).exists();
        String page = Files.readString(out.resolve("index.html"));
        assertThat(page)
                .contains("R-precision")
                .contains("Seed variety in pixels")
                .contains("Edge columns relative to the real images")
                .contains("scene judge meadow-scene-judge-v1")
                .contains("sample-000.png")
                .contains("latent temperature 0.50, best of 2 candidates by CLIP clip-tiny");
        // A tiny decoder's pictures are misread; the first of each misreading (one asked for) is written and shown.
        List<String> misread = new ArrayList<>();
        report.get("attributes")
                .forEach(attribute -> attribute
                        .get("misreadExamples")
                        .forEach(example -> misread.add(example.get("file").asText())));
        assertThat(misread).isNotEmpty().allSatisfy(file -> {
            assertThat(file).endsWith("-0.png");
            assertThat(out.resolve(file)).exists();
            assertThat(page).contains("src=\"" + file + "\"");
        });
        assertThat(page).contains("Misread by the detectors");
    }

    @Test
    void evalRefusesItsOwnTeacherAsJudgeAndBadPromptFiles() throws IOException {
        UpCommandTest.Run sameJudge = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                clip.toString(),
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-same").toString(),
                "--detector-renders",
                "200",
                "--distractors",
                "19");
        assertThat(sameJudge.exitCode()).isEqualTo(2);
        assertThat(sameJudge.err()).contains("trained apart");

        // A CLIP model is not a scene judge: refused before any picture is drawn.
        UpCommandTest.Run notAJudge = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-not-a-judge").toString(),
                "--scene-judge",
                judge.toString());
        assertThat(notAJudge.exitCode()).isEqualTo(2);
        assertThat(notAJudge.err()).contains("is not a Meadow scene judge");
        assertThat(dir.resolve("eval-not-a-judge").resolve("report.json")).doesNotExist();

        Path prompts = dir.resolve("bad-prompts.jsonl");
        Files.writeString(prompts, "{\"prompt\": \"a cow\", \"attributes\": {\"ground\": \"lava\"}}\n");
        UpCommandTest.Run bad = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prompts",
                prompts.toString(),
                "--out",
                dir.resolve("eval-bad").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("line 1").contains("ground must be one of");
        assertThat(dir.resolve("eval-bad").resolve("report.json")).doesNotExist();

        UpCommandTest.Run cold = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-cold").toString(),
                "--temperature",
                "-0.5");
        assertThat(cold.exitCode()).isEqualTo(2);
        assertThat(cold.err()).contains("--temperature must be a number >= 0");

        UpCommandTest.Run greedy = UpCommandTest.run(
                "eval",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--prompts",
                data.toString(),
                "--out",
                dir.resolve("eval-greedy").toString(),
                "--candidates",
                "100");
        assertThat(greedy.exitCode()).isEqualTo(2);
        assertThat(greedy.err()).contains("--candidates must be between 1 and 64");
        assertThat(dir.resolve("eval-greedy").resolve("report.json")).doesNotExist();
    }

    @Test
    void trainWarmStartsAPerceptualRunFromAnotherAndRefusesOneThatCannotFit() throws IOException {
        Path source = dir.resolve("perceptual-source");
        UpCommandTest.Run first = train(source, "--perceptual-weight", "100", "--epochs", "1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("perceptual train / validation");

        Path tuned = dir.resolve("perceptual-tuned");
        UpCommandTest.Run second = train(
                tuned,
                "--perceptual-weight",
                "300",
                "--epochs",
                "1",
                "--warm-start",
                source.resolveSibling("perceptual-source.work").toString(),
                "--condition-noise",
                "0.3");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(Files.readString(tuned.resolve("model.json")))
                .contains("\"perceptualWeight\" : 300.0")
                .contains("\"conditionNoise\" : 0.3");
        try (Decoder tunedDecoder = Decoder.load(tuned)) {
            assertThat(tunedDecoder.sampling().conditionNoise()).isEqualTo(0.3f);
        }
        assertThat(Files.readString(source.resolve("model.json"))).contains("\"conditionNoise\" : 0.0");
        UpCommandTest.Run tooNoisy = train(dir.resolve("too-noisy"), "--epochs", "1", "--condition-noise", "9");
        assertThat(tooNoisy.exitCode()).isEqualTo(2);
        assertThat(tooNoisy.err()).contains("--condition-noise must be between 0 and 4.0");
        assertThat(dir.resolve("too-noisy")).doesNotExist();
        assertThat(Files.readString(
                        tuned.resolveSibling("perceptual-tuned.work").resolve("state.json")))
                .contains("\"warmStart\"")
                .contains("perceptual-source.work");

        // The fixture's decoder had image conditioning (and neither a frozen CLIP tower nor a critic: those would
        // start fresh).
        Path refused = dir.resolve("perceptual-refused");
        UpCommandTest.Run mismatch = train(
                refused,
                "--conditioning",
                "text",
                "--adversarial-weight",
                "10",
                "--warm-start",
                model.resolveSibling(model.getFileName() + ".work").toString());
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.err())
                .contains(
                        "trained tiny-32 with image conditioning on 16-dimensional embeddings, not tiny-32 with text on 16");
        assertThat(refused).doesNotExist();

        // A plain run warm-starts a run with a critic: the critic starts fresh.
        Path critic = dir.resolve("critic-tuned");
        UpCommandTest.Run adversarial = train(
                critic,
                "--adversarial-weight",
                "10",
                "--epochs",
                "1",
                "--warm-start",
                model.resolveSibling(model.getFileName() + ".work").toString());
        assertThat(adversarial.exitCode()).as(adversarial.err()).isZero();
        assertThat(adversarial.out()).contains("adversarial train / validation | critic train / validation");

        UpCommandTest.Run negative = train(dir.resolve("perceptual-negative"), "--perceptual-weight", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("perceptual weight must not be negative");
        UpCommandTest.Run negativeCritic = train(dir.resolve("critic-negative"), "--adversarial-weight", "-1");
        assertThat(negativeCritic.exitCode()).isEqualTo(2);
        assertThat(negativeCritic.err()).contains("adversarial weight must not be negative");
        UpCommandTest.Run nowhere = train(
                dir.resolve("from-nowhere"),
                "--warm-start",
                dir.resolve("no-such-run.work").toString());
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.err()).contains("no-such-run.work holds no finished epoch to start from");
        assertThat(dir.resolve("from-nowhere")).doesNotExist();
    }

    private static UpCommandTest.Run train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--data",
                data.toString(),
                "--clip",
                clip.toString(),
                "--preset",
                "tiny-32",
                "--batch-size",
                "16",
                "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return UpCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void paperTableTrainsEvaluatesAndResumes() throws IOException {
        Path work = dir.resolve("table");
        String[] args = {
            "experiment",
            "paper-table",
            "--train",
            data.toString(),
            "--held-out",
            data.toString(),
            "--clip",
            clip.toString(),
            "--judge",
            judge.toString(),
            "--work",
            work.toString(),
            "--rows",
            "small-64-image,small-64-image-noise,small-64-resize-image-clip",
            "--epochs-64",
            "1",
            "--prompts",
            "120",
            "--distractors",
            "19",
            "--detector-renders",
            "400"
        };
        UpCommandTest.Run first = UpCommandTest.run(args);
        assertThat(first.exitCode()).as(first.err()).isZero();
        String table = Files.readString(work.resolve("table.md"));
        assertThat(table)
                .contains("| small-64 | image |")
                .contains("| small-64 | image+noise (LAFITE) |")
                .contains("| small-64-resize | image, dropout 0.5, CLIP term 1000 |")
                .contains("chance 0.05")
                .contains("| FD | sharpness | grid |")
                .contains("Attributes are judged on the prompts that state them: sky ");
        assertThat(work.resolve("small-64-image-noise/model/model.json")).exists();
        assertThat(Files.readString(work.resolve("small-64-image-noise/model/model.json")))
                .contains("image+noise");
        assertThat(Files.readString(work.resolve("small-64-resize-image-clip/model/model.json")))
                .contains("\"clipWeight\" : 1000.0");

        // A second run reuses the trained rows and reproduces the numbers.
        UpCommandTest.Run second = UpCommandTest.run(args);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("small-64-image: trained model found");
        assertThat(Files.readString(work.resolve("table.md"))).isEqualTo(table);

        UpCommandTest.Run unknown = UpCommandTest.run(
                "experiment",
                "paper-table",
                "--train",
                data.toString(),
                "--held-out",
                data.toString(),
                "--clip",
                clip.toString(),
                "--judge",
                judge.toString(),
                "--work",
                work.toString(),
                "--rows",
                "small-64-sepia");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown row 'small-64-sepia'");
    }

    @Test
    void figureDrawsEveryDecoderInItsOwnPanelCellForCell() throws IOException {
        Path prompts = dir.resolve("figure-prompts.txt");
        Files.writeString(
                prompts, "# two prompts\ncows on green grass under a blue sky\n\na white sheep in the snow\n");
        Path out = dir.resolve("figure").resolve("sheet.png");
        UpCommandTest.Run run = UpCommandTest.run(
                "experiment",
                "figure",
                "--model",
                model.toString(),
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompts",
                prompts.toString(),
                "--seeds",
                "3",
                "--scale",
                "2",
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("2 panel(s) of 2 prompts x 3 seeds, 400x136 px");
        BufferedImage sheet = Png.decode(Files.readAllBytes(out));
        assertThat(sheet.getWidth()).isEqualTo(2 * 3 * 64 + 16);
        assertThat(sheet.getHeight()).isEqualTo(2 * 64 + 8);
        // The same decoder twice: the panels are the same, pixel for pixel; the rows (prompts) differ.
        int[] left = sheet.getRGB(0, 0, 192, 136, null, 0, 192);
        int[] right = sheet.getRGB(208, 0, 192, 136, null, 0, 192);
        assertThat(right).isEqualTo(left);
        assertThat(sheet.getRGB(0, 72, 192, 64, null, 0, 192)).isNotEqualTo(sheet.getRGB(0, 0, 192, 64, null, 0, 192));

        // A decoder whose card asks for condition noise draws its panel with it, unless told otherwise.
        Path noisyModel = withConditionNoise(model, 1.0, dir.resolve("decoder-noise-figure"));
        for (String noise : new String[] {null, "0"}) {
            Path noisySheet = dir.resolve("figure").resolve("noisy-" + noise + ".png");
            List<String> args = new ArrayList<>(List.of(
                    "experiment",
                    "figure",
                    "--model",
                    model.toString(),
                    "--model",
                    noisyModel.toString(),
                    "--clip",
                    clip.toString(),
                    "--prompts",
                    prompts.toString(),
                    "--seeds",
                    "3",
                    "--out",
                    noisySheet.toString()));
            if (noise != null) {
                args.addAll(List.of("--condition-noise", noise));
            }
            UpCommandTest.Run drawn = UpCommandTest.run(args.toArray(String[]::new));
            assertThat(drawn.exitCode()).as(drawn.err()).isZero();
            byte[] png = Files.readAllBytes(noisySheet);
            BufferedImage both = Png.decode(png);
            int[] plainPanel = both.getRGB(0, 0, 192, 136, null, 0, 192);
            int[] noisyPanel = both.getRGB(208, 0, 192, 136, null, 0, 192);
            assertThat(plainPanel).isEqualTo(left);
            if (noise == null) {
                assertThat(noisyPanel).isNotEqualTo(left);
                assertThat(Png.readText(png))
                        .containsEntry("condition-noise-1", "0.0000")
                        .containsEntry("condition-noise-2", "1.0000");
            } else {
                assertThat(noisyPanel).isEqualTo(left);
                assertThat(Png.readText(png)).containsEntry("condition-noise-2", "0.0000");
            }
        }

        Path empty = dir.resolve("no-prompts.txt");
        Files.writeString(empty, "# nothing\n\n");
        UpCommandTest.Run nothing = UpCommandTest.run(
                "experiment",
                "figure",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompts",
                empty.toString(),
                "--out",
                dir.resolve("figure").resolve("none.png").toString());
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("has no prompts");
        assertThat(dir.resolve("figure").resolve("none.png")).doesNotExist();
    }

    @Test
    void generateTowardsASecondPromptWritesAStripWithOneSeed() throws IOException {
        Path out = dir.resolve("towards");
        UpCommandTest.Run run = UpCommandTest.run(
                "generate",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "cows on green grass",
                "--towards",
                "a snowy field at night",
                "--steps",
                "4",
                "--seed",
                "9",
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path strip = out.resolve("cows-on-green-grass-towards-a-snowy-field-at-night-9-strip.png");
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(strip.toFile());
        assertThat(picture.getWidth()).isEqualTo(4 * 32);
        assertThat(picture.getHeight()).isEqualTo(32);
        Map<String, String> last = dev.meadow.image.Png.readText(
                Files.readAllBytes(out.resolve("cows-on-green-grass-towards-a-snowy-field-at-night-9-3.png")));
        assertThat(last)
                .containsEntry("towards", "a snowy field at night")
                .containsEntry("towards_weight", "1.0000")
                .containsEntry("seed", "9");
        // The ends of the strip are the two prompts alone, with the same seed.
        Path plain = dir.resolve("towards-ends");
        assertThat(UpCommandTest.run(
                                "generate",
                                "--model",
                                model.toString(),
                                "--clip",
                                clip.toString(),
                                "--prompt",
                                "cows on green grass",
                                "--seed",
                                "9",
                                "--out",
                                plain.toString())
                        .exitCode())
                .isZero();
        assertThat(pixels(plain.resolve("cows-on-green-grass-9.png")))
                .isEqualTo(pixels(out.resolve("cows-on-green-grass-towards-a-snowy-field-at-night-9-0.png")));

        UpCommandTest.Run both = UpCommandTest.run(
                "generate",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "cows",
                "--towards",
                "sheep",
                "--count",
                "3",
                "--out",
                dir.resolve("towards-bad").toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--count and --towards exclude each other");
    }

    @Test
    void generateWithCandidatesKeepsTheClipChoiceUnderTheSeedThatReproducesIt() throws IOException {
        Path out = dir.resolve("best-of");
        UpCommandTest.Run run = UpCommandTest.run(
                "generate",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "sheep under a blue sky",
                "--seed",
                "3",
                "--count",
                "3",
                "--candidates",
                "8",
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertEachKeptSeedRedrawsItsPicture(model, out, "sheep under a blue sky", 3);

        for (String bad : List.of("0", "65")) {
            UpCommandTest.Run refused = UpCommandTest.run(
                    "generate",
                    "--model",
                    model.toString(),
                    "--clip",
                    clip.toString(),
                    "--prompt",
                    "cows",
                    "--candidates",
                    bad,
                    "--out",
                    dir.resolve("best-of-bad").toString());
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err()).contains("--candidates must be between 1 and 64");
        }
        UpCommandTest.Run strip = UpCommandTest.run(
                "generate",
                "--model",
                model.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                "cows",
                "--towards",
                "sheep",
                "--candidates",
                "4",
                "--out",
                dir.resolve("best-of-strip").toString());
        assertThat(strip.exitCode()).isEqualTo(2);
        assertThat(strip.err()).contains("--candidates and --towards exclude each other");
        assertThat(dir.resolve("best-of-bad")).doesNotExist();
    }

    @Test
    void generateDrawsWithTheDecodersConditionNoiseAndEachSeedRedrawsItsPicture() throws IOException {
        Path noisyModel = withConditionNoise(model, 1.0, dir.resolve("decoder-noise-1"));
        String prompt = "sheep under a blue sky";
        Path plain = dir.resolve("noise-plain");
        Path asked = dir.resolve("noise-asked");
        Path own = dir.resolve("noise-own");
        Path off = dir.resolve("noise-off");
        assertThat(generate(model, plain, prompt, "--seed", "3", "--count", "2").exitCode())
                .isZero();
        assertThat(generate(model, asked, prompt, "--seed", "3", "--count", "2", "--condition-noise", "1")
                        .exitCode())
                .isZero();
        assertThat(generate(noisyModel, own, prompt, "--seed", "3", "--count", "2")
                        .exitCode())
                .isZero();
        assertThat(generate(noisyModel, off, prompt, "--seed", "3", "--count", "2", "--condition-noise", "0")
                        .exitCode())
                .isZero();
        for (String file : List.of("sheep-under-a-blue-sky-3.png", "sheep-under-a-blue-sky-4.png")) {
            assertThat(pixels(asked.resolve(file))).isNotEqualTo(pixels(plain.resolve(file)));
            // Without the option a decoder draws with its card's noise; 0 turns it off.
            assertThat(pixels(own.resolve(file))).isEqualTo(pixels(asked.resolve(file)));
            assertThat(pixels(off.resolve(file))).isEqualTo(pixels(plain.resolve(file)));
            assertThat(Png.readText(Files.readAllBytes(own.resolve(file))))
                    .containsEntry("condition_noise", "1.0000")
                    .hasEntrySatisfying("parameters", p -> assertThat(p).endsWith(", Condition noise: 1.0000"));
            assertThat(Png.readText(Files.readAllBytes(plain.resolve(file)))).doesNotContainKey("condition_noise");
        }

        // Best of N with noise: each candidate draws its own condition from its seed, so the kept seed alone,
        // with no reranking, draws the kept picture again.
        Path best = dir.resolve("noise-best-of");
        assertThat(generate(noisyModel, best, prompt, "--seed", "3", "--count", "3", "--candidates", "8")
                        .exitCode())
                .isZero();
        assertEachKeptSeedRedrawsItsPicture(noisyModel, best, prompt, 3);

        // A strip keeps one seed, so one noise direction, while its condition slides.
        Path strip = dir.resolve("noise-strip");
        Path askedStrip = dir.resolve("noise-strip-asked");
        Path plainStrip = dir.resolve("noise-strip-plain");
        UpCommandTest.Run towards = generate(noisyModel, strip, "cows", "--towards", "sheep", "--seed", "2");
        assertThat(towards.exitCode()).as(towards.err()).isZero();
        assertThat(generate(model, askedStrip, "cows", "--towards", "sheep", "--seed", "2", "--condition-noise", "1")
                        .exitCode())
                .isZero();
        assertThat(generate(model, plainStrip, "cows", "--towards", "sheep", "--seed", "2")
                        .exitCode())
                .isZero();
        String stripFile = "cows-towards-sheep-2-strip.png";
        assertThat(pixels(strip.resolve(stripFile))).isEqualTo(pixels(askedStrip.resolve(stripFile)));
        assertThat(pixels(strip.resolve(stripFile))).isNotEqualTo(pixels(plainStrip.resolve(stripFile)));

        for (String bad : List.of("-1", "5", "many")) {
            UpCommandTest.Run refused = generate(model, dir.resolve("noise-bad"), "sheep", "--condition-noise", bad);
            assertThat(refused.exitCode()).as(bad).isEqualTo(2);
            assertThat(refused.err()).containsAnyOf("--condition-noise must be between 0 and 4.0", "'many'");
        }
        assertThat(dir.resolve("noise-bad")).doesNotExist();
    }

    /**
     * Each PNG in {@code out}, drawn best of N, is named by the seed it records, and that seed alone, with no
     * reranking, draws the same picture.
     */
    private static void assertEachKeptSeedRedrawsItsPicture(Path decoder, Path out, String prompt, int count)
            throws IOException {
        List<Path> kept;
        try (Stream<Path> s = Files.list(out)) {
            kept = s.sorted().toList();
        }
        assertThat(kept).hasSize(count);
        for (Path file : kept) {
            String seed = Png.readText(Files.readAllBytes(file)).get("seed");
            assertThat(file.getFileName().toString()).isEqualTo(prompt.replace(' ', '-') + "-" + seed + ".png");
            Path alone = out.resolveSibling(out.getFileName() + "-alone-" + seed);
            assertThat(generate(decoder, alone, prompt, "--seed", seed).exitCode())
                    .isZero();
            assertThat(pixels(alone.resolve(file.getFileName().toString()))).isEqualTo(pixels(file));
        }
    }

    /** {@code meadow generate} of {@code prompt} with {@code decoder} and the tiny CLIP into {@code out}. */
    private static UpCommandTest.Run generate(Path decoder, Path out, String prompt, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "generate",
                "--model",
                decoder.toString(),
                "--clip",
                clip.toString(),
                "--prompt",
                prompt,
                "--out",
                out.toString()));
        args.addAll(List.of(options));
        return UpCommandTest.run(args.toArray(String[]::new));
    }

    /** A copy of {@code decoder} whose card asks for condition noise {@code xi}. */
    static Path withConditionNoise(Path decoder, double xi, Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(decoder)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(decoder.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path card = copy.resolve("model.json");
        var mapper = dev.meadow.contracts.Json.mapper();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(card.toFile());
        json.put("conditionNoise", xi);
        mapper.writeValue(card.toFile(), json);
        return copy;
    }

    private static int[] pixels(Path png) throws IOException {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
