package dev.meadow.model.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.meadow.dataset.Snapshot;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.tf.Tensors;
import dev.meadow.testing.TinyModels;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

@Tag("integration")
class FrozenImageTowerTest {

    @Test
    void embedsPicturesAsTheClipModelItselfDoes() {
        Snapshot snapshot = Snapshot.read(TinyModels.get().snapshot());
        int n = 12;
        float[] pixels = Arrays.copyOf(snapshot.loadPixels(32), n * 32 * 32 * 3);
        float[][] expected;
        try (ClipModel clip = ClipModel.load(TinyModels.get().clip())) {
            expected = clip.encodeImagePixels(pixels, n);
        }
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            FrozenImageTower tower =
                    FrozenImageTower.create(tf, TinyModels.get().clip());
            Operand<TFloat32> embeds = tower.embed(tf, input, 32);
            // A picture at twice the CLIP's side: each 2x2 block is one pixel of the original, so the half-pixel
            // bilinear resize gives the original back exactly.
            Placeholder<TFloat32> doubled = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 64, 64, 3)));
            Operand<TFloat32> doubledEmbeds = tower.embed(tf, doubled, 64);
            try (Session session = new Session(graph)) {
                session.initialize();
                tower.load(session);
                try (TFloat32 x = Tensors.floats(pixels, n, 32, 32, 3);
                        TFloat32 x2 = Tensors.floats(pixelDoubled(pixels, n, 32), n, 64, 64, 3);
                        Result result = session.runner()
                                .feed(input, x)
                                .feed(doubled, x2)
                                .fetch(embeds)
                                .fetch(doubledEmbeds)
                                .run()) {
                    for (int k = 0; k < 2; k++) {
                        float[] actual = Tensors.read((TFloat32) result.get(k));
                        for (int i = 0; i < n; i++) {
                            for (int d = 0; d < tower.dimension(); d++) {
                                assertThat(actual[i * tower.dimension() + d])
                                        .as("input %d, image %d, dimension %d", k, i, d)
                                        .isCloseTo(expected[i][d], Offset.offset(1e-4f));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void earlyFeaturesAreTheFirstConvolutionsAndTellABlurFromTheOriginal() {
        Snapshot snapshot = Snapshot.read(TinyModels.get().snapshot());
        int n = 4;
        float[] pixels = Arrays.copyOf(snapshot.loadPixels(32), n * 32 * 32 * 3);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
            FrozenImageTower tower =
                    FrozenImageTower.create(tf, TinyModels.get().clip());
            var featuresA = tower.earlyFeatures(tf, a, 32, 2);
            var featuresB = tower.earlyFeatures(tf, b, 32, 2);
            assertThat(featuresA).hasSize(2);
            assertThatThrownBy(() -> tower.earlyFeatures(tf, a, 32, 5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has 4 convolutions");
            try (Session session = new Session(graph)) {
                session.initialize();
                tower.load(session);
                try (TFloat32 x = Tensors.floats(pixels, n, 32, 32, 3);
                        TFloat32 blurred = Tensors.floats(boxBlur(pixels, n, 32), n, 32, 32, 3)) {
                    for (int layer = 0; layer < 2; layer++) {
                        Operand<TFloat32> distance = tf.math.mean(
                                tf.math.squaredDifference(featuresA.get(layer), featuresB.get(layer)),
                                tf.constant(new int[] {0, 1, 2, 3}));
                        try (Result same = session.runner()
                                        .feed(a, x)
                                        .feed(b, x)
                                        .fetch(featuresA.get(layer))
                                        .fetch(distance)
                                        .run();
                                Result other = session.runner()
                                        .feed(a, x)
                                        .feed(b, blurred)
                                        .fetch(distance)
                                        .run()) {
                            // Stride 2 per convolution: 16x16x32, then 8x8x64.
                            assertThat(same.get(0).shape())
                                    .isEqualTo(Shape.of(n, 16 >> layer, 16 >> layer, 32 << layer));
                            assertThat(((TFloat32) same.get(1)).getFloat()).isZero();
                            assertThat(((TFloat32) other.get(0)).getFloat())
                                    .as("layer %d", layer)
                                    .isGreaterThan(1e-3f);
                        }
                    }
                }
            }
        }
    }

    /** Each pixel the mean of its 3x3 neighbourhood (clamped at the borders). */
    private static float[] boxBlur(float[] pixels, int n, int side) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    for (int c = 0; c < 3; c++) {
                        float sum = 0;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                int yy = Math.min(side - 1, Math.max(0, y + dy));
                                int xx = Math.min(side - 1, Math.max(0, x + dx));
                                sum += pixels[((i * side + yy) * side + xx) * 3 + c];
                            }
                        }
                        out[((i * side + y) * side + x) * 3 + c] = sum / 9;
                    }
                }
            }
        }
        return out;
    }

    private static float[] pixelDoubled(float[] pixels, int n, int side) {
        int big = 2 * side;
        float[] out = new float[n * big * big * 3];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < big; y++) {
                for (int x = 0; x < big; x++) {
                    System.arraycopy(
                            pixels, ((i * side + y / 2) * side + x / 2) * 3, out, ((i * big + y) * big + x) * 3, 3);
                }
            }
        }
        return out;
    }

    @Test
    void refusesAClipThatIsNotMeadowsOwn() throws IOException {
        Path copy = TinyModels.get().clipCopy("exported-openai-stand-in");
        Path card = copy.resolve(ClipCard.FILE_NAME);
        Files.writeString(
                card, Files.readString(card).replace("\"source\" : \"meadow-clip\"", "\"source\" : \"openai\""));
        try (Graph graph = new Graph()) {
            assertThatThrownBy(() -> FrozenImageTower.create(Ops.create(graph), copy))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("'openai' CLIP")
                    .hasMessageContaining("Meadow's own CLIP");
        }
    }
}
