package dev.meadow.cli.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.StoreOptions;
import dev.meadow.cli.common.UserError;
import dev.meadow.cli.offline.ConsoleTraining;
import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.EvalReport;
import dev.meadow.contracts.EvalReportSummary;
import dev.meadow.contracts.Json;
import dev.meadow.dataset.Snapshot;
import dev.meadow.eval.AttributeDetectors;
import dev.meadow.eval.EvalPrompt;
import dev.meadow.eval.Evaluation;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.FrozenImageTower;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaePreset;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.TrainingSettings;
import dev.meadow.model.judge.SceneJudge;
import dev.meadow.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "paper-table",
        mixinStandardHelpOptions = true,
        description = {
            "The paper's comparison with numbers: train one decoder per row on the same Pastoral-Synth "
                    + "training set, then evaluate each prompted with TEXT embeddings on held-out prompts.",
            "Rows: image, text, image without dropout, image with dropout 0.5 (instead of 0.2), image+noise and "
                    + "mixed conditioning at small-64; image and "
                    + "text at small-128. Each row's model and report live under --work; a row already trained "
                    + "or evaluated there is reused, so an interrupted run picks up where it stopped.",
            "Rows beyond the paper, on the same images for the same epochs: resize-then-convolve upsampling "
                    + "(small-64-resize), that with the CLIP-consistency term (which also runs the CLIP's "
                    + "image tower on every reconstruction, so its steps cost a little more), and that with a "
                    + "perceptual term or a patch critic on top."
        })
public final class PaperTableCommand implements Callable<Integer> {

    /** One row of the table; all three weights 0 is the paper's loss. */
    record Row(
            String id,
            CvaePreset preset,
            ConditioningMode mode,
            float dropout,
            float clipWeight,
            float perceptualWeight,
            float adversarialWeight,
            String label) {

        Row(String id, CvaePreset preset, ConditioningMode mode, float dropout, String label) {
            this(id, preset, mode, dropout, 0f, 0f, 0f, label);
        }

        Row(String id, CvaePreset preset, ConditioningMode mode, float dropout, float clipWeight, String label) {
            this(id, preset, mode, dropout, clipWeight, 0f, 0f, label);
        }

        boolean needsClipTower() {
            return clipWeight > 0 || perceptualWeight > 0;
        }

        boolean beyondThePapersLoss() {
            return needsClipTower() || adversarialWeight > 0;
        }
    }

    /** The CLIP-consistency weight of the rows that have the term. */
    static final float CLIP_WEIGHT = 1000f;

    static final List<Row> ROWS = List.of(
            new Row("small-64-image", CvaePreset.SMALL_64, ConditioningMode.IMAGE, 0.2f, "image"),
            new Row("small-64-text", CvaePreset.SMALL_64, ConditioningMode.TEXT, 0.2f, "text"),
            new Row("small-64-image-no-dropout", CvaePreset.SMALL_64, ConditioningMode.IMAGE, 0f, "image, no dropout"),
            new Row(
                    "small-64-image-dropout-0.5",
                    CvaePreset.SMALL_64,
                    ConditioningMode.IMAGE,
                    0.5f,
                    "image, dropout 0.5"),
            new Row(
                    "small-64-image-noise",
                    CvaePreset.SMALL_64,
                    ConditioningMode.IMAGE_NOISE,
                    0.2f,
                    "image+noise (LAFITE)"),
            new Row("small-64-mixed", CvaePreset.SMALL_64, ConditioningMode.MIXED, 0.2f, "mixed"),
            new Row("small-128-image", CvaePreset.SMALL_128, ConditioningMode.IMAGE, 0.2f, "image"),
            new Row("small-128-text", CvaePreset.SMALL_128, ConditioningMode.TEXT, 0.2f, "text"),
            new Row(
                    "small-64-resize-image-dropout-0.5",
                    CvaePreset.SMALL_64_RESIZE,
                    ConditioningMode.IMAGE,
                    0.5f,
                    "image, dropout 0.5"),
            new Row(
                    "small-64-resize-image-clip",
                    CvaePreset.SMALL_64_RESIZE,
                    ConditioningMode.IMAGE,
                    0.5f,
                    CLIP_WEIGHT,
                    "image, dropout 0.5, CLIP term " + (int) CLIP_WEIGHT),
            // The two sharpness terms, each on top of the CLIP row, at the weights measured from v4's checkpoint.
            new Row(
                    "small-64-resize-image-clip-perceptual",
                    CvaePreset.SMALL_64_RESIZE,
                    ConditioningMode.IMAGE,
                    0.5f,
                    CLIP_WEIGHT,
                    1e4f,
                    0f,
                    "image, dropout 0.5, CLIP term " + (int) CLIP_WEIGHT + ", perceptual term 10000"),
            new Row(
                    "small-64-resize-image-clip-critic",
                    CvaePreset.SMALL_64_RESIZE,
                    ConditioningMode.IMAGE,
                    0.5f,
                    CLIP_WEIGHT,
                    0f,
                    1000f,
                    "image, dropout 0.5, CLIP term " + (int) CLIP_WEIGHT + ", patch critic 1000"));

    @Spec
    CommandSpec spec;

    @Option(
            names = "--train",
            required = true,
            description = "Training snapshot (render it at 128 px for the " + "128 rows; the 64 rows downscale it).")
    Path train;

    @Option(
            names = "--held-out",
            required = true,
            description = "Held-out Pastoral-Synth snapshot: the prompts " + "and the real images.")
    Path heldOut;

    @Option(names = "--clip", required = true, description = "Conditioning CLIP model.")
    Path clip;

    @Option(names = "--judge", required = true, description = "Judge CLIP model, trained apart from --clip.")
    Path judge;

    @Option(
            names = "--scene-judge",
            description =
                    "The scene judge that reads animals, barns and mountains (models/judge/meadow-scene-judge-v1)."
                            + " Without it only colours are judged.")
    Path sceneJudge;

    @Option(names = "--work", required = true, description = "Directory for the rows' models, reports and the table.")
    Path work;

    @Option(names = "--rows", split = ",", description = "Only these rows (default: all): ${COMPLETION-CANDIDATES}")
    List<String> rows;

    @Option(
            names = "--epochs-64",
            defaultValue = "8",
            description = "Epochs of the 64 px rows (default: ${DEFAULT-VALUE}).")
    int epochs64;

    @Option(
            names = "--epochs-128",
            defaultValue = "4",
            description = "Epochs of the 128 px rows (default: ${DEFAULT-VALUE}).")
    int epochs128;

    @Option(
            names = "--prompts",
            defaultValue = "500",
            description = "Held-out prompts per row (default: ${DEFAULT-VALUE}).")
    int promptCount;

    @Option(names = "--distractors", defaultValue = "99", description = "Default: ${DEFAULT-VALUE}.")
    int distractors;

    @Option(names = "--detector-renders", defaultValue = "8000", description = "Default: ${DEFAULT-VALUE}.")
    int detectorRenders;

    @Option(
            names = "--publish",
            description = "Upload every row's report for the gallery (object store from --s3 and the credentials).")
    boolean publish;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        Inputs.positive(epochs64, "--epochs-64");
        Inputs.positive(epochs128, "--epochs-128");
        Inputs.positive(promptCount, "--prompts");
        Inputs.positive(distractors, "--distractors");
        Inputs.positive(detectorRenders, "--detector-renders");
        List<Row> chosen = chosenRows();
        Inputs.existingDirectory(train, "training snapshot");
        Inputs.existingDirectory(clip, "CLIP model");
        Inputs.existingDirectory(judge, "judge CLIP model");
        if (chosen.stream().anyMatch(Row::needsClipTower)) {
            // Before hours of other rows: the CLIP-term rows need Meadow's own CLIP.
            Inputs.asUserInput(() -> FrozenImageTower.requireMeadowClip(clip));
        }
        if (publish) {
            store.requireReachable();
        }
        PrintWriter console = spec.commandLine().getOut();
        Snapshot trainSnapshot = Inputs.asUserInput(() -> Snapshot.read(train));
        List<EvalPrompt> prompts = Evaluator.prompts(heldOut, 0, promptCount);
        List<BufferedImage> real = Evaluator.realImages(heldOut, promptCount);

        try (SceneJudge objects = Evaluator.sceneJudge(sceneJudge)) {
            AttributeDetectors detectors = Evaluator.detectors(detectorRenders, objects, console);
            Map<Integer, CvaeData> dataBySize = new HashMap<>();
            String clipId = ClipModel.readCard(clip).modelId();
            List<EvalReport> reports = new ArrayList<>();
            for (Row row : chosen) {
                Path model = work.resolve(row.id()).resolve("model");
                if (Files.exists(model.resolve(DecoderCard.FILE_NAME))) {
                    console.printf("%s: trained model found in %s%n", row.id(), model);
                } else {
                    CvaeData data = dataBySize.computeIfAbsent(row.preset().imageSize(), size -> {
                        try (ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip))) {
                            return ConsoleTraining.embed(trainSnapshot, clipModel, size);
                        }
                    });
                    TrainingSettings settings = TrainingSettings.defaults()
                            .withEpochs(row.preset().imageSize() > 64 ? epochs128 : epochs64)
                            .withLatentDropout(row.dropout())
                            .withClipWeight(row.clipWeight())
                            .withPerceptualWeight(row.perceptualWeight())
                            .withAdversarialWeight(row.adversarialWeight());
                    console.printf(
                            "%s: training %s with %s conditioning%n",
                            row.id(), row.preset().name(), row.mode().id());
                    ConsoleTraining.trainAndExport(
                            data,
                            new CvaeTraining.Spec(
                                    row.preset(),
                                    row.mode(),
                                    settings,
                                    clipId,
                                    trainSnapshot.manifest().name(),
                                    clip),
                            work.resolve(row.id()).resolve("checkpoints"),
                            "table-" + row.id(),
                            model,
                            0,
                            console);
                }
                // Evaluate right away, so that an interrupted run keeps the reports of its finished rows.
                Path reportDir = work.resolve(row.id()).resolve("report");
                EvalReport report = Evaluator.evaluate(
                        "table-" + row.id(),
                        model,
                        clip,
                        judge,
                        null,
                        prompts,
                        real,
                        detectors,
                        new Evaluation.Settings(0, distractors, 32),
                        reportDir);
                Evaluator.summary(console, report);
                console.flush();
                reports.add(report);
                if (publish) {
                    try (ObjectStore experiments = store.open()) {
                        Evaluator.publish(experiments, reportDir, report.id());
                    }
                }
            }
            String table = markdown(chosen, reports, detectors);
            writeTable(chosen, reports, table);
            console.println();
            console.print(table);
            console.println("Table written to " + work.resolve("table.md"));
        }
        return 0;
    }

    private List<Row> chosenRows() {
        if (rows == null || rows.isEmpty()) {
            return ROWS;
        }
        List<Row> chosen = new ArrayList<>();
        for (String id : rows) {
            chosen.add(ROWS.stream()
                    .filter(r -> r.id().equals(id.trim()))
                    .findFirst()
                    .orElseThrow(() -> new UserError("unknown row '" + id + "'; rows are "
                            + ROWS.stream().map(Row::id).toList())));
        }
        return chosen;
    }

    static String markdown(List<Row> rows, List<EvalReport> reports, AttributeDetectors detectors) {
        StringBuilder md = new StringBuilder();
        md.append("| preset | conditioning | best val. loss (epoch) | R@1 | R@5 | CLIPScore | sky | ground | snow "
                + "| animals | animal kind | barn | mountains | FD | sharpness | grid | seed spread "
                + "| seed variety (px / judge) | edge columns |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            EvalReport r = reports.get(i);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s (%s) | %.3f | %.3f | %.3f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s"
                            + " | %s |%n",
                    row.preset().name(),
                    row.label(),
                    r.bestValidationLoss() == null ? "?" : EvalReportSummary.format(r.bestValidationLoss()),
                    r.bestEpoch() == null ? "?" : r.bestEpoch(),
                    r.rPrecision(),
                    r.rPrecisionAt5(),
                    r.clipScore(),
                    attribute(r, "sky"),
                    attribute(r, "ground"),
                    attribute(r, "snow"),
                    attribute(r, "animals"),
                    attribute(r, "animalKind"),
                    attribute(r, "barn"),
                    attribute(r, "mountains"),
                    EvalReportSummary.format(r.frechetDistance()),
                    EvalReportSummary.format(
                            r.pictures() == null ? null : r.pictures().relativeSharpness()),
                    EvalReportSummary.format(
                            r.pictures() == null ? null : r.pictures().relativeGrid()),
                    EvalReportSummary.format(
                            r.diversity() == null ? null : r.diversity().seedSpread()),
                    EvalReportSummary.variety(r),
                    EvalReportSummary.format(
                            r.edges() == null ? null : r.edges().relative())));
        }
        EvalReport first = reports.get(0);
        md.append(String.format(
                Locale.ROOT,
                "%nAll rows prompted with TEXT embeddings of %d held-out prompts; R@1 "
                        + "among 1 + %d distractors (chance %.2f); judge CLIP %s; Fréchet distance in judge-CLIP space "
                        + "to %d real held-out images (two halves of the real images are %.3f apart).%n",
                first.images(),
                first.distractors(),
                1.0 / (first.distractors() + 1),
                first.judgeModelId(),
                first.realImages(),
                first.realFrechetFloor() == null ? Double.NaN : first.realFrechetFloor()));
        if (rows.stream().anyMatch(Row::beyondThePapersLoss)) {
            md.append("The validation loss of a row with a CLIP, perceptual or critic term includes that term, so it "
                    + "does not compare with the other rows'.\n");
        }
        md.append("Sharpness: the generated pictures' share of spectral power at a quarter of the sampling rate and "
                + "above, as a share of the real pictures' (1: as sharp). Grid: the share of that power on the "
                + "frequencies stride-2 layers imprint (periods of 2, 4 and 8 pixels), as a multiple of the real "
                + "pictures' (1: no more grid than they have). Seed spread: the judge's distance between draws of one "
                + "prompt with other seeds, as a share of that between prompts (0: every seed draws the same "
                + "picture). Seed variety: that spread as a share of the same spread of Pastoral-Synth renders of each "
                + "prompt's scene description with the layout drawn afresh, in pixels and in judge space (1: the seeds "
                + "vary a picture as much as the scenes do). Edge columns: how far the strongest column within 8 px of "
                + "the left or right edge stands out in the mean horizontal-gradient profile, as a multiple of the real "
                + "pictures' (1: no more edge lines than they have). Animals, animal kind, barn and mountains are read "
                + "by the scene judge, where one is given.\n");
        List<String> judged = new ArrayList<>();
        first.attributes().forEach((key, score) -> judged.add(key + " " + score.images()));
        md.append("Attributes are judged on the prompts that state them: ")
                .append(String.join(", ", judged))
                .append(" of ")
                .append(first.images())
                .append(".\n");
        md.append("Attribute detectors on unseen renders: ");
        List<String> parts = new ArrayList<>();
        first.detectors()
                .forEach((key, d) -> parts.add(String.format(
                        Locale.ROOT,
                        "%s %.3f%s",
                        key,
                        d.accuracyOnRenders(),
                        d.used() ? "" : " (below " + EvalReport.REQUIRED_DETECTOR_ACCURACY + ", not used)")));
        md.append(String.join(", ", parts)).append(".\n");
        return md.toString();
    }

    private static String attribute(EvalReport report, String key) {
        EvalReport.AttributeScore score = report.attributes().get(key);
        return score == null ? "n/a" : String.format(Locale.ROOT, "%.3f", score.accuracy());
    }

    private void writeTable(List<Row> rows, List<EvalReport> reports, String table) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("row", rows.get(i).id());
            row.put("label", rows.get(i).label());
            row.put("report", reports.get(i));
            json.add(row);
        }
        try {
            Files.writeString(work.resolve("table.md"), table);
            Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(work.resolve("table.json").toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the table to " + work, e);
        }
    }
}
