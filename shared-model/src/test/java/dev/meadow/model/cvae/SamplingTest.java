package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplingTest {

    @Test
    void samplingRefusesWhatItCannotDraw() {
        assertThatThrownBy(() -> new Sampling(-1f, 0f)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(Float.NaN, 0f)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampling.PLAIN.withConditionNoise(4.5f)).hasMessageContaining("condition noise");
        assertThat(Sampling.PLAIN.withTemperature(0.5f).withConditionNoise(0.25f))
                .isEqualTo(new Sampling(0.5f, 0.25f));
    }
}
