package dev.meadow.model.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * {@link SpaceToDepthConvolution} in TensorFlow against TensorFlow's own convolution: what the plain-Java test
 * cannot show, that TensorFlow's SpaceToDepth and DepthToSpace order channels as the block kernel assumes.
 */
@Tag("integration")
class SpaceToDepthConvolutionGraphTest {

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 7})
    void blocksGiveWhatTensorFlowsConvolutionGives(int k) {
        // Height and width differ, so a transposed layout cannot pass.
        int batch = 2;
        int height = 8;
        int width = 6;
        int in = 4;
        int out = 3;
        Random random = new Random(k);
        float[] x = floats(random, batch * height * width * in);
        float[] kernel = floats(random, k * k * in * out);
        float[] bias = floats(random, out);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input =
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, height, width, in)));
            Operand<TFloat32> kernelValues = tf.constant(Shape.of(k, k, in, out), DataBuffers.of(kernel));
            Operand<TFloat32> biasValues = tf.constant(bias);
            Operand<TFloat32> plain =
                    tf.nn.biasAdd(tf.nn.conv2d(input, kernelValues, List.of(1L, 1L, 1L, 1L), "SAME"), biasValues);
            Operand<TFloat32> blocks = SpaceToDepthConvolution.apply(tf, input, kernelValues, biasValues);
            try (Session session = new Session(graph);
                    TFloat32 feed = Tensors.floats(x, batch, height, width, in);
                    Result result = session.runner()
                            .feed(input, feed)
                            .fetch(plain)
                            .fetch(blocks)
                            .run()) {
                float[] expected = Tensors.read((TFloat32) result.get(0));
                float[] actual = Tensors.read((TFloat32) result.get(1));
                assertThat(actual).hasSameSizeAs(expected);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-4f));
                }
            }
        }
    }

    @Test
    void anOddSideIsRefusedWhenTheGraphIsBuilt() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 7, 8, 2)));
            Operand<TFloat32> kernel = tf.zeros(tf.constant(new int[] {5, 5, 2, 3}), TFloat32.class);
            assertThatThrownBy(() -> SpaceToDepthConvolution.apply(tf, input, kernel, tf.constant(new float[3])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("even");
        }
    }

    @Test
    void aKernelThatIsNotSquareOrDoesNotFitTheInputIsRefused() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 2)));
            for (Shape shape :
                    List.of(Shape.of(5, 3, 2, 3), Shape.of(5, 5, 4, 3), Shape.of(5, 5, 2), Shape.of(-1, -1, 2, 3))) {
                Operand<TFloat32> kernel = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
                assertThatThrownBy(() -> SpaceToDepthConvolution.apply(tf, input, kernel, tf.constant(new float[3])))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("kernel must be [k, k, C, out]");
            }
        }
    }

    private static float[] floats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
