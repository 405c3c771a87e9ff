package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.contracts.EvalReport;
import dev.meadow.synth.Scene;
import dev.meadow.synth.SceneRenderer;
import dev.meadow.synth.SceneSampler;

/**
 * Seed variety ({@link EvalReport.Variety}): a decoder's seed spread measured against what the scenes it imitates
 * allow. Each prompt's scene description is rendered several times by Pastoral-Synth with its layout drawn afresh
 * ({@link SceneSampler#variation}); their spread, in the same spaces, is the reference.
 */
public final class SeedVariety {

    /** The manifest attribute that names the scene a Pastoral-Synth caption describes. */
    static final String SCENE_SEED = "sceneSeed";

    private SeedVariety() {}

    /**
     * {@code draws} renders of each prompt's scene description at {@code size} pixels, prompt after prompt; null when a
     * prompt has no scene (a prompt file without Pastoral-Synth ground truth).
     */
    public static List<BufferedImage> renders(List<EvalPrompt> prompts, int draws, int size) {
        List<Scene> scenes = new ArrayList<>();
        for (EvalPrompt prompt : prompts) {
            Object seed = prompt.attributes().get(SCENE_SEED);
            if (!(seed instanceof Number number)) {
                return null;
            }
            Scene scene = SceneSampler.sample(number.longValue());
            for (int d = 0; d < draws; d++) {
                scenes.add(SceneSampler.variation(scene, scene.seed() * 0x9E3779B97F4A7C15L + d + 1));
            }
        }
        return scenes.parallelStream().map(s -> SceneRenderer.render(s, size)).toList();
    }

    /** Every array is {@code [prompt][draw][values]}: the decoder's draws and the renders, as embeddings and pixels. */
    public static EvalReport.Variety of(
            float[][][] decoderJudge, float[][][] decoderPixels, float[][][] renderJudge, float[][][] renderPixels) {
        return new EvalReport.Variety(
                decoderJudge.length,
                decoderJudge[0].length,
                spread(decoderJudge, renderJudge, SeedSpread.Distance.COSINE),
                spread(decoderPixels, renderPixels, SeedSpread.Distance.RMS));
    }

    private static EvalReport.Spread spread(float[][][] decoder, float[][][] renders, SeedSpread.Distance distance) {
        double[] d = SeedSpread.distances(decoder, distance);
        double[] r = SeedSpread.distances(renders, distance);
        return new EvalReport.Spread(d[0], d[1], r[0], r[1]);
    }
}
