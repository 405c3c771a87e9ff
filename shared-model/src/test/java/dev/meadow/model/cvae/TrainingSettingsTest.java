package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meadow.contracts.Json;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

    @Test
    void settingsWrittenBeforeTheClipTermReadAsThePapersLoss() throws JsonProcessingException {
        String old = """
                {"epochs":26,"batchSize":32,"learningRate":0.001,"seed":42,"latentDropout":0.5,
                 "validationFraction":0.1,"threads":0,"noiseScale":0.75}""";
        TrainingSettings settings = Json.mapper().readValue(old, TrainingSettings.class);
        assertThat(settings.clipWeight()).isZero();
        assertThat(settings.perceptualWeight()).isZero();
        assertThat(settings.adversarialWeight()).isZero();
        assertThat(settings.klWeight()).isEqualTo(TrainingSettings.PAPER_KL_WEIGHT);
        assertThat(settings.needsClipTower()).isFalse();
        assertThat(settings)
                .isEqualTo(TrainingSettings.defaults().withEpochs(26).withLatentDropout(0.5f));
    }

    @Test
    void theWeightSurvivesJsonAndEveryOtherSetting() throws JsonProcessingException {
        TrainingSettings weighted = TrainingSettings.defaults()
                .withClipWeight(1000f)
                .withPerceptualWeight(1e4f)
                .withAdversarialWeight(50f)
                .withKlWeight(0.05f)
                .withEpochs(3)
                .withSeed(9)
                .withBatchSize(16);
        assertThat(weighted.clipWeight()).isEqualTo(1000f);
        assertThat(weighted.perceptualWeight()).isEqualTo(1e4f);
        assertThat(weighted.adversarialWeight()).isEqualTo(50f);
        assertThat(weighted.klWeight()).isEqualTo(0.05f);
        assertThat(List.of(weighted.epochs(), weighted.seed(), weighted.batchSize()))
                .containsExactly(3, 9L, 16);
        String json = Json.mapper().writeValueAsString(weighted);
        assertThat(json)
                .contains("\"clipWeight\":1000.0")
                .contains("\"perceptualWeight\":10000.0")
                .contains("\"adversarialWeight\":50.0")
                .contains("\"klWeight\":0.05");
        assertThat(Json.mapper().readValue(json, TrainingSettings.class)).isEqualTo(weighted);
    }

    @Test
    void aNegativeWeightIsRefused() {
        assertThatThrownBy(() -> TrainingSettings.defaults().withClipWeight(-1f).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CLIP-consistency weight must not be negative");
        assertThatThrownBy(() ->
                        TrainingSettings.defaults().withPerceptualWeight(-1f).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perceptual weight must not be negative");
        assertThatThrownBy(() -> TrainingSettings.defaults()
                        .withPerceptualWeight(Float.NaN)
                        .validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perceptual weight must be a finite number");
        assertThatThrownBy(() ->
                        TrainingSettings.defaults().withAdversarialWeight(-1f).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adversarial weight must not be negative");
        assertThatThrownBy(() -> TrainingSettings.defaults()
                        .withAdversarialWeight(Float.POSITIVE_INFINITY)
                        .validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adversarial weight must be a finite number");
        assertThatThrownBy(() -> TrainingSettings.defaults().withKlWeight(0f).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KL weight must be positive");
        assertThatThrownBy(() ->
                        TrainingSettings.defaults().withKlWeight(Float.NaN).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KL weight must be a finite number");
    }

    @Test
    void eitherClipTermNeedsTheFrozenTower() {
        assertThat(TrainingSettings.defaults().withClipWeight(1f).needsClipTower())
                .isTrue();
        assertThat(TrainingSettings.defaults().withPerceptualWeight(1f).needsClipTower())
                .isTrue();
        assertThat(TrainingSettings.defaults().needsClipTower()).isFalse();
    }
}
