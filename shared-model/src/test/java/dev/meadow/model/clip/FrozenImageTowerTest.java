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
