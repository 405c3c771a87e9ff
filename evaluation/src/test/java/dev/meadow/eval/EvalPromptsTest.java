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

    @Test
    void objectsAreJudgedWhereTheCaptionNamesThemOrTheSceneHasNone() {
        Scene scene = null;
        for (int i = 0; scene == null; i++) {
            Scene candidate = PastoralSynth.scene(3, i);
            if (candidate.barn() && !candidate.lake() && candidate.animals().size() == 1 && !candidate.closeUp()) {
                scene = candidate;
            }
        }
        Map<String, Object> attributes = PastoralSynth.attributes(scene);
        String kind = scene.animals().get(0).animal().name().toLowerCase(java.util.Locale.ROOT);
        Map<String, Object> named = EvalPrompts.stated("cows near a red barn", attributes);
        assertThat(Attribute.BARN.of(named)).isEqualTo("true");
        assertThat(Attribute.LAKE.of(named)).isEqualTo("false");
        assertThat(Attribute.ANIMAL_KIND.of(named)).isEqualTo(kind);
        assertThat(Attribute.ANIMAL_COUNT.of(named)).isNotNull();
        assertThat(Attribute.SUN_OR_MOON.of(named))
                .as("no caption names the sun or moon")
                .isNull();
        assertThat(Attribute.SUN_OR_MOON.of(attributes)).isNotNull();
        Map<String, Object> silent = EvalPrompts.stated("cows on green grass", attributes);
        assertThat(Attribute.BARN.of(silent)).as("a barn the caption left out").isNull();
        assertThat(Attribute.LAKE.of(silent))
                .as("no lake in the scene, none asked for")
                .isEqualTo("false");
    }

    @Test
    void derivedAttributesFollowTheSceneGraph() {
        Map<String, Object> mixed = Map.of(
                "animalGroups",
                List.of(Map.of("animal", "cow", "count", 2), Map.of("animal", "sheep", "count", 3)),
                "mountains",
                "snow_capped",
                "trees",
                "none");
        assertThat(Attribute.ANIMAL_KIND.of(mixed)).as("two kinds: not judged").isNull();
        assertThat(Attribute.ANIMAL_COUNT.of(mixed)).isEqualTo("4+");
        assertThat(Attribute.MOUNTAINS.of(mixed)).isEqualTo("true");
        assertThat(Attribute.TREES.of(mixed)).isEqualTo("false");
        assertThat(Attribute.ANIMAL_COUNT.of(Map.of("animalGroups", List.of()))).isNull();
        assertThat(Attribute.ANIMAL_KIND.of(Map.of("animalKind", "horse"))).isEqualTo("horse");
        assertThat(Attribute.ANIMAL_KIND.of(Map.of("animalKind", "giraffe"))).isNull();
    }
}
