package dev.meadow.cli.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.Progress;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.EvalReport;
import dev.meadow.contracts.EvalReportSummary;
import dev.meadow.contracts.Json;
import dev.meadow.dataset.Snapshot;
import dev.meadow.eval.Attribute;
import dev.meadow.eval.AttributeDetectors;
import dev.meadow.eval.EvalPrompt;
import dev.meadow.eval.EvalPrompts;
import dev.meadow.eval.Evaluation;
import dev.meadow.eval.SceneJudging;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.judge.SceneJudge;
import dev.meadow.model.prior.Prior;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import me.tongfei.progressbar.ProgressBar;

/** What {@code meadow eval} and {@code meadow experiment} share: inputs, detectors, running, and the report files. */
final class Evaluator {

    static final String PAGE = "index.html";

    private Evaluator() {}

    /** A snapshot directory (one caption per image, scene attributes as truth) or a JSON Lines file. */
    static List<EvalPrompt> prompts(Path source, long seed, int limit) {
        if (!Files.exists(source)) {
            throw new UserError("prompts " + source + " do not exist");
        }
        List<EvalPrompt> prompts = badInput(() -> Files.isDirectory(source)
                ? EvalPrompts.fromSnapshot(Snapshot.read(source), seed)
                : EvalPrompts.read(source));
        return limit > 0 && prompts.size() > limit ? prompts.subList(0, limit) : prompts;
    }

    static List<BufferedImage> realImages(Path snapshotDir, int limit) {
        if (snapshotDir == null) {
            return List.of();
        }
        Snapshot snapshot = Inputs.asUserInput(() -> Snapshot.read(snapshotDir));
        List<String> files = snapshot.imageFiles();
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < files.size() && (limit <= 0 || i < limit); i++) {
            images.add(snapshot.readImage(files.get(i)));
        }
        return images;
    }

    /**
     * Refuses, before anything is trained or drawn, a prior that is not one or that the decoder cannot take: another
     * CLIP's, or for a decoder trained on text embeddings.
     */
    static void checkPrior(Path prior, Path model) {
        if (prior == null) {
            return;
        }
        Inputs.existingDirectory(prior, "prior");
        Inputs.existingDirectory(model, "model");
        var priorCard = Inputs.asUserInput(() -> Prior.readCard(prior));
        var decoderCard = Inputs.asUserInput(() -> Decoder.readCard(model));
        if (!priorCard.clipModelId().equals(decoderCard.clipModelId())) {
            throw new UserError("prior " + priorCard.modelId() + " draws embeddings of CLIP " + priorCard.clipModelId()
                    + ", decoder " + decoderCard.modelId() + " was trained on CLIP " + decoderCard.clipModelId());
        }
        if (decoderCard.conditioning() == dev.meadow.contracts.ConditioningMode.TEXT) {
            throw new UserError("decoder " + decoderCard.modelId() + " was trained on text embeddings; a prior draws"
                    + " image embeddings");
        }
    }

    /** The scene judge in {@code directory}, or null when none is given; the caller closes it. */
    static SceneJudge sceneJudge(Path directory) {
        if (directory == null) {
            return null;
        }
        Inputs.existingDirectory(directory, "scene judge");
        SceneJudge judge = Inputs.asUserInput(() -> SceneJudge.load(directory));
        try {
            Inputs.asUserInput(() -> {
                SceneJudging.check(judge);
                return judge;
            });
            return judge;
        } catch (RuntimeException e) {
            judge.close();
            throw e;
        }
    }

    /** The colour detectors, trained now on {@code renders} renders, and the scene judge where one is given. */
    static AttributeDetectors detectors(int renders, SceneJudge sceneJudge, PrintWriter console) {
        console.printf("Training attribute detectors on %,d Pastoral-Synth renders...%n", renders);
        console.flush();
        AttributeDetectors detectors = AttributeDetectors.train(renders, Math.max(500, renders / 8), 20_261_127L);
        if (sceneJudge != null) {
            detectors = detectors.withSceneJudge(sceneJudge);
            console.printf(
                    "Scene judge %s (accuracy on %,d held-out renders from its card)%n",
                    sceneJudge.modelId(), sceneJudge.card().testRenders());
        } else {
            console.println("No --scene-judge: animals, barns, mountains and the other objects are not judged");
        }
        for (Attribute attribute : Attribute.values()) {
            if (!detectors.readable().contains(attribute)) {
                continue;
            }
            console.printf(
                    Locale.ROOT,
                    "  %-12s %.3f on unseen renders, %.3f blurred%s%n",
                    attribute.key(),
                    detectors.accuracyOnRenders().get(attribute),
                    detectors.accuracyOnBlurredRenders().get(attribute),
                    detectors.trusted().contains(attribute)
                            ? ""
                            : "  (below " + EvalReport.REQUIRED_DETECTOR_ACCURACY + ": not used)");
        }
        return detectors;
    }

    /** @param prior a prior to draw the conditions from, or null */
    static EvalReport evaluate(
            String id,
            Path model,
            Path clip,
            Path judge,
            Path prior,
            List<EvalPrompt> prompts,
            List<BufferedImage> real,
            AttributeDetectors detectors,
            Evaluation.Settings settings,
            Path out) {
        Inputs.existingDirectory(model, "model");
        Inputs.existingDirectory(clip, "CLIP model");
        Inputs.existingDirectory(judge, "judge CLIP model");
        if (prior != null) {
            Inputs.existingDirectory(prior, "prior");
        }
        try (Decoder loaded = Inputs.asUserInput(() -> Decoder.load(model));
                Prior priorModel = prior == null ? null : Inputs.asUserInput(() -> Prior.load(prior));
                Decoder view = priorModel == null ? null : Inputs.asUserInput(() -> loaded.withPrior(priorModel));
                ClipModel conditioning = Inputs.asUserInput(() -> ClipModel.load(clip));
                ClipModel judgeModel = Inputs.asUserInput(() -> ClipModel.load(judge));
                ProgressBar bar = Progress.bar("evaluating " + id, Evaluation.pictures(prompts.size()))) {
            Decoder decoder = view != null ? view : loaded;
            if (!decoder.card().clipModelId().equals(conditioning.modelId())) {
                throw new UserError("decoder " + decoder.card().modelId() + " was trained against CLIP "
                        + decoder.card().clipModelId() + ", not " + conditioning.modelId());
            }
            if (judgeModel.modelId().equals(conditioning.modelId())) {
                throw new UserError("the judge must be a CLIP model trained apart from the conditioning one, but both"
                        + " are " + judgeModel.modelId());
            }
            Evaluation.Outcome outcome = badInput(() -> Evaluation.run(
                    id, decoder, conditioning, judgeModel, prompts, real, detectors, settings, bar::stepTo));
            write(outcome, out);
            return outcome.report();
        }
    }

    /** Bad prompt files, too few distinct prompts and mismatched models are the user's to fix. */
    private static <T> T badInput(java.util.function.Supplier<T> action) {
        try {
            return Inputs.asUserInput(action);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    static void write(Evaluation.Outcome outcome, Path out) {
        EvalReport report = outcome.report();
        try {
            Files.createDirectories(out);
            // A rerun into the same directory must not leave (and --publish upload) another run's pictures.
            try (var old = Files.newDirectoryStream(out, "{sample,misread}-*.png")) {
                for (Path stale : old) {
                    Files.delete(stale);
                }
            }
            for (int i = 0; i < report.samples().size(); i++) {
                Files.write(
                        out.resolve(report.samples().get(i).file()),
                        Png.encode(outcome.sampleImages().get(i)));
            }
            for (Map.Entry<String, BufferedImage> misread :
                    outcome.misreadImages().entrySet()) {
                Files.write(out.resolve(misread.getKey()), Png.encode(misread.getValue()));
            }
            Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(out.resolve(EvalReport.FILE_NAME).toFile(), report);
            Files.writeString(out.resolve(PAGE), ReportPage.render(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }

    /** Uploads a report directory so that the gallery lists it under /experiments. */
    static void publish(ObjectStore store, Path reportDir, String id) {
        store.uploadDirectory(reportDir, Bucket.EXPERIMENTS, store.layout().experimentPrefix(id));
    }

    static void summary(PrintWriter console, EvalReport r) {
        console.printf(
                Locale.ROOT,
                "%s (temperature %.2f%s, %s): R@1 %.3f (R@5 %.3f), CLIPScore %.3f (mean cos %.3f),"
                        + " FD %s (real-vs-real %s), sharpness %s and grid %s of the real pictures', seed spread %s, attributes %s%n",
                r.id(),
                r.temperature(),
                EvalReportSummary.conditionNoise(r),
                r.candidates() == 1
                        ? "one draw per prompt"
                        : "best of " + r.candidates() + " by CLIP " + r.clipModelId(),
                r.rPrecision(),
                r.rPrecisionAt5(),
                r.clipScore(),
                r.meanCosine(),
                EvalReportSummary.format(r.frechetDistance()),
                EvalReportSummary.format(r.realFrechetFloor()),
                EvalReportSummary.format(
                        r.pictures() == null ? null : r.pictures().relativeSharpness()),
                EvalReportSummary.format(
                        r.pictures() == null ? null : r.pictures().relativeGrid()),
                EvalReportSummary.format(
                        r.diversity() == null ? null : r.diversity().seedSpread()),
                r.attributes().entrySet().stream()
                        .map(e -> e.getKey() + " "
                                + EvalReportSummary.format(e.getValue().accuracy())
                                + misreadings(e.getValue()))
                        .toList());
    }

    private static String misreadings(EvalReport.AttributeScore score) {
        List<String> commonest = score.commonestMisreadings(2);
        return commonest.isEmpty() ? "" : " (" + String.join(", ", commonest) + ")";
    }
}
