package dev.meadow.cli.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.ConditionNoiseOption;
import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.PriorOption;
import dev.meadow.cli.common.StoreOptions;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Checks;
import dev.meadow.contracts.EvalReport;
import dev.meadow.eval.EvalPrompt;
import dev.meadow.eval.Evaluation;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.judge.SceneJudge;
import dev.meadow.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Judge a decoder: one image per prompt (prompted with TEXT embeddings), graded by a separately "
                    + "trained judge CLIP (R-precision, CLIPScore, Fréchet distance to real images) and by attribute "
                    + "detectors trained on Pastoral-Synth renders.",
            "Writes report.json, index.html and sample PNGs to --out; --publish also lists it in the gallery "
                    + "under /experiments."
        })
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Decoder directory.")
    Path model;

    @Option(names = "--clip", required = true, description = "The CLIP model the decoder was trained against.")
    Path clip;

    @Option(names = "--judge", required = true, description = "A CLIP model trained apart from --clip.")
    Path judge;

    @Option(
            names = "--scene-judge",
            description = "The scene judge that reads animals, barns, mountains and other objects"
                    + " (models/judge/meadow-scene-judge-v1; `meadow train-scene-judge`). Without it only colours are"
                    + " judged.")
    Path sceneJudge;

    @Mixin
    PriorOption priorOption;

    @Option(
            names = "--prompts",
            required = true,
            description = "A held-out Pastoral-Synth snapshot directory "
                    + "(one caption per image; the scene attributes that caption states are the truth) or a JSON Lines "
                    + "file of {\"prompt\", \"attributes\"}.")
    Path prompts;

    @Option(
            names = "--real",
            description = "Snapshot of real held-out images for the Fréchet distance "
                    + "(default: --prompts when it is a snapshot).")
    Path real;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N prompts (default: all).")
    int limit;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the latents and distractors.")
    long seed;

    @Option(
            names = "--temperature",
            defaultValue = "1",
            description = "Scale of the latents: 1 draws them as "
                    + "trained; below 1 keeps closer to what the prompt alone says (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(
            names = "--candidates",
            defaultValue = "1",
            description = "Pictures drawn per prompt; the --clip model "
                    + "keeps the one closest to the prompt, as DALL·E reranked its samples (1 to "
                    + ClipReranker.MAX_CANDIDATES + ", default: ${DEFAULT-VALUE}: no reranking).")
    int candidates;

    @Mixin
    ConditionNoiseOption conditionNoise;

    @Option(names = "--distractors", defaultValue = "99", description = "Distractor prompts per image.")
    int distractors;

    @Option(names = "--samples", defaultValue = "32", description = "Images kept with the report.")
    int samples;

    @Option(
            names = "--misread-examples",
            defaultValue = "" + Evaluation.MISREAD_EXAMPLES,
            description = "Pictures kept of each way an attribute is misread, say ground grass read as soil, so that"
                    + " you can see whether the decoder or the detector is wrong (default: ${DEFAULT-VALUE}).")
    int misreadExamples;

    @Option(
            names = "--detector-renders",
            defaultValue = "8000",
            description = "Renders the attribute detectors learn from (default: ${DEFAULT-VALUE}).")
    int detectorRenders;

    @Option(names = "--out", required = true, description = "Report directory.")
    Path out;

    @Option(names = "--id", description = "Report id (default: the directory name).")
    String id;

    @Option(
            names = "--publish",
            description = "Also upload the report for the gallery (object store from --s3 and the credentials).")
    boolean publish;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        Inputs.positive(distractors, "--distractors");
        Inputs.positive(detectorRenders, "--detector-renders");
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new UserError("--temperature must be a number >= 0");
        }
        Inputs.candidates(candidates);
        Float noise = conditionNoise.value();
        if (samples < 0 || limit < 0 || misreadExamples < 0) {
            throw new UserError("--samples, --misread-examples and --limit must not be negative");
        }
        String reportId = id != null
                ? id
                : String.valueOf(out.toAbsolutePath().normalize().getFileName());
        if (!Checks.ID.matcher(reportId).matches()) {
            throw new UserError("report id '" + reportId + "' may use letters, digits, '.', '_' and '-' only");
        }
        Inputs.outputDirectory(out, EvalReport.FILE_NAME);
        Inputs.existingDirectory(model, "model");
        Path prior = priorOption.directory(model, Inputs.asUserInput(() -> Decoder.readCard(model)));
        if (prior != null && noise != null) {
            throw new UserError("--condition-noise and --prior do not go together: a prior draws each picture's"
                    + " condition in place of the noise");
        }
        Evaluator.checkPrior(prior, model);
        List<EvalPrompt> promptList = Evaluator.prompts(prompts, seed, limit);
        Path realDir = real != null ? real : java.nio.file.Files.isDirectory(prompts) ? prompts : null;
        var realImages = Evaluator.realImages(realDir, 0);
        if (publish) {
            store.requireReachable();
        }
        var console = spec.commandLine().getOut();
        EvalReport report;
        try (SceneJudge objects = Evaluator.sceneJudge(sceneJudge)) {
            var detectors = Evaluator.detectors(detectorRenders, objects, console);
            report = Evaluator.evaluate(
                    reportId,
                    model,
                    clip,
                    judge,
                    prior,
                    promptList,
                    realImages,
                    detectors,
                    new Evaluation.Settings(
                            seed, distractors, samples, temperature, candidates, noise, misreadExamples),
                    out);
        }
        Evaluator.summary(console, report);
        console.println("Report written to " + out.resolve(Evaluator.PAGE));
        if (publish) {
            try (ObjectStore objects = store.open()) {
                Evaluator.publish(objects, out, reportId);
            }
            console.println("Published as experiment " + reportId);
        }
        return 0;
    }
}
