package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.EvalReport;
import dev.meadow.image.ImageArrays;
import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import dev.meadow.synth.SceneSampler;
import org.junit.jupiter.api.Test;

class SeedVarietyTest {

    @Test
    void aVariationKeepsTheSceneDescriptionAndRedrawsTheLayout() {
        for (int i = 0; i < 200; i++) {
            Scene scene = PastoralSynth.scene(13, i);
            Scene other = SceneSampler.variation(scene, 1000 + i);
            for (Attribute attribute : Attribute.values()) {
                assertThat(attribute.of(other)).as(attribute.key()).isEqualTo(attribute.of(scene));
            }
            assertThat(withoutSeed(PastoralSynth.attributes(other)))
                    .isEqualTo(withoutSeed(PastoralSynth.attributes(scene)));
            if (!scene.closeUp()) {
                assertThat(other.horizon()).isNotEqualTo(scene.horizon());
            }
        }
        Scene scene = PastoralSynth.scene(13, 0);
        assertThat(SceneSampler.variation(scene, 7)).isEqualTo(SceneSampler.variation(scene, 7));
    }

    @Test
    void rendersOfAPromptsSceneDescriptionVaryLessThanDifferentPrompts() {
        List<EvalPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Scene scene = PastoralSynth.scene(13, i);
            prompts.add(new EvalPrompt("prompt " + i, PastoralSynth.attributes(scene)));
        }
        var renders = SeedVariety.renders(prompts, 4, 64);
        assertThat(renders).hasSize(64);
        float[][][] pixels = new float[16][4][];
        for (int k = 0; k < 64; k++) {
            pixels[k / 4][k % 4] = ImageArrays.toFloats(renders.get(k));
        }
        double[] distances = SeedSpread.distances(pixels, SeedSpread.Distance.RMS);
        assertThat(distances[0]).isPositive().isLessThan(distances[1]);

        // A decoder that draws one picture per prompt has no variety; one that varies as the renders do has 1.
        float[][][] same = new float[16][4][];
        for (int p = 0; p < 16; p++) {
            for (int d = 0; d < 4; d++) {
                same[p][d] = pixels[p][0];
            }
        }
        EvalReport.Variety none = SeedVariety.of(same, same, pixels, pixels);
        assertThat(none.pixels().variety()).isZero();
        assertThat(SeedVariety.of(pixels, pixels, pixels, pixels).pixels().variety())
                .isEqualTo(1.0);
        assertThat(SeedVariety.renders(List.of(new EvalPrompt("no scene", Map.of())), 4, 64))
                .isNull();
    }

    private static Map<String, Object> withoutSeed(Map<String, Object> attributes) {
        var copy = new java.util.LinkedHashMap<>(attributes);
        copy.remove("sceneSeed");
        return copy;
    }
}
