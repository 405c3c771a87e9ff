package dev.meadow.model.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** {@link Layers.Conv#applyReflect}: a convolution that reads the feature map mirrored at its border, not zeros. */
@Tag("integration")
class LayersReflectTest {

    @Test
    void aMirroredBorderIsReadWhereZerosWereAndTheInsideIsUnchanged() {
        int side = 6;
        int k = 3;
        Random random = new Random(5);
        float[] x = new float[side * side];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        float[] kernel = new float[k * k];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = random.nextFloat() - 0.5f;
        }
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, side, side, 1)));
            Operand<TFloat32> kernelValues = tf.constant(Shape.of(k, k, 1, 1), DataBuffers.of(kernel));
            Layers.Conv conv = new Layers.Conv(tf.variable(kernelValues), null, 1);
            Operand<TFloat32> reflect = conv.applyReflect(tf, input);
            Operand<TFloat32> zero = tf.nn.conv2d(input, kernelValues, java.util.List.of(1L, 1L, 1L, 1L), "SAME");
            try (Session session = initialized(new Session(graph));
                    TFloat32 feed = Tensors.floats(x, 1, side, side, 1);
                    Result result = session.runner()
                            .feed(input, feed)
                            .fetch(reflect)
                            .fetch(zero)
                            .run()) {
                float[] mirrored = Tensors.read((TFloat32) result.get(0));
                float[] zeros = Tensors.read((TFloat32) result.get(1));
                assertThat(mirrored).hasSize(side * side);
                for (int r = 0; r < side; r++) {
                    for (int c = 0; c < side; c++) {
                        assertThat(mirrored[r * side + c])
                                .as("row %d column %d", r, c)
                                .isCloseTo(byHand(x, kernel, side, k, r, c), within(1e-5f));
                        boolean inside = r > 0 && r < side - 1 && c > 0 && c < side - 1;
                        if (inside) {
                            assertThat(mirrored[r * side + c]).isCloseTo(zeros[r * side + c], within(1e-5f));
                        }
                    }
                }
                // At the border the two differ: zeros are not what a mirror shows.
                assertThat(Math.abs(mirrored[0] - zeros[0])).isGreaterThan(1e-3f);
            }
        }
    }

    private static Session initialized(Session session) {
        session.initialize();
        return session;
    }

    /** The convolution at (r, c) over the map mirrored without repeating the edge. */
    private static float byHand(float[] x, float[] kernel, int side, int k, int r, int c) {
        float sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int y = mirror(r + i - k / 2, side);
                int xx = mirror(c + j - k / 2, side);
                sum += x[y * side + xx] * kernel[i * k + j];
            }
        }
        return sum;
    }

    private static int mirror(int i, int side) {
        return i < 0 ? -i : (i >= side ? 2 * (side - 1) - i : i);
    }
}
