package dev.meadow.cli.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.eval.KindProbe;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.judge.SceneJudge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "clip-kinds",
        mixinStandardHelpOptions = true,
        description = {
            "Whether a CLIP's image embedding carries an animal's kind: Pastoral-Synth renders of one kind each,"
                    + " embedded, the last third classified by the first two thirds (nearest kind centroid, ten"
                    + " nearest neighbours). A decoder conditioned on that CLIP can only draw the kinds these tell"
                    + " apart.",
            "With --decoder, also the scene judge's reading of what the decoder draws from each test render's own"
                    + " embedding."
        })
public final class ClipKindsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--clip", required = true, description = "CLIP model directory.")
    Path clip;

    @Option(
            names = "--scene-judge",
            required = true,
            description = "The scene judge (models/judge/meadow-scene-judge-v1).")
    Path sceneJudge;

    @Option(names = "--decoder", description = "A decoder trained against --clip, drawn from the renders' embeddings.")
    Path decoder;

    @Option(names = "--renders", defaultValue = "3000", description = "Renders (default: ${DEFAULT-VALUE}).")
    int renders;

    @Option(names = "--seed", defaultValue = "41", description = "Scene seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (renders < 30 || renders > 100_000) {
            throw new UserError("--renders must be between 30 and 100000");
        }
        Inputs.existingDirectory(clip, "CLIP model");
        Inputs.existingDirectory(sceneJudge, "scene judge");
        if (decoder != null) {
            Inputs.existingDirectory(decoder, "decoder");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ClipModel clipModel = Inputs.asUserInput(() -> ClipModel.load(clip));
                SceneJudge judge = Inputs.asUserInput(() -> SceneJudge.load(sceneJudge));
                Decoder drawing = decoder == null ? null : Inputs.asUserInput(() -> Decoder.load(decoder))) {
            if (drawing != null && !drawing.card().clipModelId().equals(clipModel.modelId())) {
                throw new UserError("decoder " + drawing.card().modelId() + " was trained against CLIP "
                        + drawing.card().clipModelId() + ", not " + clipModel.modelId());
            }
            KindProbe.Result result = KindProbe.run(clipModel, drawing, judge, renders, seed);
            out.printf(
                    Locale.ROOT,
                    "%s on %d test renders of one animal kind each (chance 0.25):%n"
                            + "  image embedding, nearest kind centroid  %.3f%n"
                            + "  image embedding, 10 nearest neighbours   %.3f%n"
                            + "  scene judge on the renders               %.3f%n",
                    clipModel.modelId(),
                    result.tested(),
                    result.centroid(),
                    result.neighbours(),
                    result.judgedRenders());
            if (drawing != null) {
                out.printf(
                        Locale.ROOT,
                        "  scene judge on %s's pictures of each render's own embedding  %.3f%n",
                        drawing.card().modelId(),
                        result.judgedDecoder());
            }
        }
        return 0;
    }
}
