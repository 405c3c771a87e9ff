package dev.meadow.model.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlerpTest {

    private static final float[] X = {1, 0, 0};
    private static final float[] Y = {0, 1, 0};

    @Test
    void endsAreTheInputsAndTheMiddleBisectsTheAngle() {
        assertThat(Slerp.between(X, Y, 0)).containsExactly(new float[] {1, 0, 0}, within(1e-6f));
        assertThat(Slerp.between(X, Y, 1)).containsExactly(new float[] {0, 1, 0}, within(1e-6f));
        float h = (float) Math.sqrt(0.5);
        assertThat(Slerp.between(X, Y, 0.5)).containsExactly(new float[] {h, h, 0}, within(1e-6f));
        // A third of the way is 30 degrees from X, not the straight line's 26.6.
        float[] third = Slerp.between(X, Y, 1.0 / 3);
        assertThat(third[0]).isCloseTo((float) Math.cos(Math.PI / 6), within(1e-6f));
    }

    @Test
    void everyPointIsAUnitVectorEvenForUnnormalisedInputs() {
        float[][] path = Slerp.path(new float[] {3, 0, 0}, new float[] {0, 0.5f, 0.5f}, 5);
        assertThat(path).hasNumberOfRows(5);
        for (float[] p : path) {
            double norm = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            assertThat(norm).isCloseTo(1.0, within(1e-6));
        }
        assertThat(Slerp.between(X, X, 0.3)).containsExactly(new float[] {1, 0, 0}, within(1e-6f));
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> Slerp.between(X, new float[] {1, 0}, 0.5)).hasMessageContaining("different sizes");
        assertThatThrownBy(() -> Slerp.between(X, Y, 1.5)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Slerp.path(X, Y, 1)).hasMessageContaining("at least 2 steps");
        assertThatThrownBy(() -> Slerp.between(new float[3], Y, 0.5)).hasMessageContaining("zero vector");
    }
}
