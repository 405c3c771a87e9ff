package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;

import dev.meadow.synth.PastoralSynth;
import dev.meadow.synth.SceneRenderer;
import org.junit.jupiter.api.Test;

class EdgeColumnsTest {

    private static List<BufferedImage> renders(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> SceneRenderer.render(PastoralSynth.scene(5, i), 64))
                .toList();
    }

    @Test
    void renderedScenesHaveNoEdgeLines() {
        assertThat(EdgeColumns.anomaly(renders(200), 64)).isLessThan(12);
    }

    @Test
    void aFaintLineInsideTheEdgeOfEveryPictureStandsOut() {
        List<BufferedImage> clean = renders(200);
        List<BufferedImage> lined = clean.stream().map(p -> brighten(p, 3)).toList();
        double before = EdgeColumns.anomaly(clean, 64);
        double after = EdgeColumns.anomaly(lined, 64);
        assertThat(after).isGreaterThan(3 * before);
        // The same line in the middle of the picture is not an edge line.
        assertThat(EdgeColumns.anomaly(clean.stream().map(p -> brighten(p, 32)).toList(), 64))
                .isLessThan(after / 3);
    }

    @Test
    void tooSmallPicturesAreRefused() {
        assertThatThrownBy(() -> EdgeColumns.anomaly(renders(2), 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32");
    }

    /** A copy with column {@code x} a few levels brighter: the faint line a decoder might draw. */
    private static BufferedImage brighten(BufferedImage picture, int x) {
        BufferedImage copy = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(picture, 0, 0, null);
        for (int y = 0; y < copy.getHeight(); y++) {
            int rgb = copy.getRGB(x, y);
            int r = Math.min(255, ((rgb >> 16) & 0xff) + 12);
            int g = Math.min(255, ((rgb >> 8) & 0xff) + 12);
            int b = Math.min(255, (rgb & 0xff) + 12);
            copy.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
        return copy;
    }
}
