package dev.meadow.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PngTest {

    @Test
    void decodedPixelsEqualTheEncodedOnesExactly() {
        // Noise exercises every byte value of the Sub filter's wrap-around; a gradient the smooth case.
        for (BufferedImage image : new BufferedImage[] {noise(64, 64, 1), noise(37, 5, 2), gradient(128, 96)}) {
            BufferedImage decoded = Png.decode(Png.encode(image));
            assertThat(decoded.getWidth()).isEqualTo(image.getWidth());
            assertThat(decoded.getHeight()).isEqualTo(image.getHeight());
            assertThat(decoded.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
                    .isEqualTo(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()));
        }
    }

    @Test
    void textChunksComeBackInOrderWithNonLatin1CharactersReplaced() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("prompt", "a cow on snow, \u00e9t\u00e9 \u2603");
        text.put("seed", "42");
        text.put("parameters", "line one\nSteps: 1, Seed: 42");
        byte[] png = Png.encode(gradient(8, 8), text);
        assertThat(Png.readText(png))
                .containsExactly(
                        Map.entry("prompt", "a cow on snow, \u00e9t\u00e9 ?"),
                        Map.entry("seed", "42"),
                        Map.entry("parameters", "line one\nSteps: 1, Seed: 42"));
    }

    @Test
    void smoothPicturesCompress() {
        assertThat(Png.encode(gradient(64, 64)).length).isLessThan(64 * 64 * 3 / 4);
    }

    @Test
    void invalidKeywordsAreRefused() {
        for (String key : new String[] {"", " seed", "seed ", "two  spaces", "x".repeat(80), "snow\u2603"}) {
            assertThatThrownBy(() -> Png.encode(gradient(2, 2), Map.of(key, "v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keyword");
        }
    }

    private static BufferedImage noise(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 128);
            }
        }
        return image;
    }
}
