package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.meadow.synth.CaptionWriter;
import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.Scene;
import org.junit.jupiter.api.Test;

class EvalPromptsTest {

    private static final Map<String, Object> SNOWY_SUNSET =
            Map.of("sky", "sunset", "ground", "grass", "snow", true, "animals", true);

    @Test
    void aCaptionThatLeavesTheSkyOutIsNotJudgedOnTheSky() {
        assertThat(EvalPrompts.stated("two black cows on green grass", SNOWY_SUNSET))
                .doesNotContainKeys("sky", "snow")
                .containsEntry("ground", "grass")
                .containsEntry("animals", true);
        assertThat(EvalPrompts.stated(
                        "two black cows on green grass at sunset with snowy mountain peaks", SNOWY_SUNSET))
                .containsEntry("sky", "sunset")
                .containsEntry("snow", true);
    }

    @Test
    void aCloseUpStatesThatThereIsNoSky() {
        Map<String, Object> closeUp = Map.of("sky", "none", "ground", "soil", "snow", false, "animals", false);
        assertThat(EvalPrompts.stated("a close-up of the ground on brown soil", closeUp))
                .containsEntry("sky", "none")
                .containsEntry("snow", false);
    }

    @Test
    void everyCaptionPastoralSynthWritesStatesItsSkyExactlyWhenItNamesIt() {
        int leftOut = 0;
        for (int index = 0; index < 400; index++) {
            Scene scene = PastoralSynth.scene(11, index);
            List<String> captions = CaptionWriter.captions(scene, PastoralSynth.CAPTIONS_PER_IMAGE);
            // The first caption is complete.
            assertThat(CaptionWriter.statesSky(captions.get(0)))
                    .as(captions.get(0))
                    .isTrue();
            assertThat(CaptionWriter.mentionsSnow(captions.get(0)))
                    .as(captions.get(0))
                    .isEqualTo(scene.snowPresent());
            for (String caption : captions) {
                assertThat(CaptionWriter.mentionsSnow(caption) && !scene.snowPresent())
                        .as(caption)
                        .isFalse();
                if (!CaptionWriter.statesSky(caption)) {
                    leftOut++;
                    assertThat(scene.closeUp()).as(caption).isFalse();
                }
            }
        }
        // The shorter captions leave the sky out about a third of the time.
        assertThat(leftOut).isBetween(200, 800);
    }
}
