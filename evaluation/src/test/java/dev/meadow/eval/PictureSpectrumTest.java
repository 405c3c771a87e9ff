package dev.meadow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PictureSpectrumTest {

    @Test
    void noiseIsSharpAndABlurIsNot() {
        PictureSpectrum.Measures noise = PictureSpectrum.of(picture(64, (x, y, r) -> r.nextInt(256)));
        PictureSpectrum.Measures blur =
                PictureSpectrum.of(picture(64, (x, y, r) -> (int) (128 + 100 * Math.sin(x / 9.0) * Math.cos(y / 7.0))));

        // White noise spreads its power evenly: the share of the plane outside the 0.25 circle is 1 - pi/16.
        assertThat(noise.sharpness()).isBetween(0.72, 0.88);
        assertThat(blur.sharpness()).isLessThan(0.01);
    }

    @Test
    void aCheckerboardOverAPictureIsGridAndTheSamePictureWithoutItIsNot() {
        Random seed = new Random(7);
        int[][] base = new int[128][128];
        for (int[] row : base) {
            for (int x = 0; x < row.length; x++) {
                row[x] = 60 + seed.nextInt(120);
            }
        }
        BufferedImage plain = picture(128, (x, y, r) -> base[y][x]);
        // What stride-2 transposed convolutions leave: a pattern repeating every 2 and 4 pixels.
        BufferedImage gridded =
                picture(128, (x, y, r) -> base[y][x] + ((x + y) % 2 == 0 ? 40 : -40) + (x % 4 < 2 ? 20 : 0));

        double plainGrid = PictureSpectrum.of(plain).grid();
        double griddedGrid = PictureSpectrum.of(gridded).grid();
        // Noise puts on the grid's bins about their share of the plane: at 128 pixels, 3 bins of every 16 each way.
        assertThat(plainGrid).isBetween(0.025, 0.05);
        assertThat(griddedGrid).isGreaterThan(0.6);
    }

    @Test
    void aPictureThatIsNotASquareOfAPowerOfTwoIsMeasuredOnItsCentre() {
        BufferedImage wide = picture(100, (x, y, r) -> r.nextInt(256));
        BufferedImage cropped = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        cropped.getGraphics().drawImage(wide, 0, 0, null);

        assertThat(PictureSpectrum.of(cropped).sharpness()).isBetween(0.7, 0.9);
        assertThatThrownBy(() -> PictureSpectrum.of(new BufferedImage(12, 40, BufferedImage.TYPE_INT_RGB)))
                .hasMessageContaining("too small");
    }

    @Test
    void thereIsNoGridBelow64PixelsWhereItsBinsWouldCoverMostOfThePlane() {
        BufferedImage small = picture(32, (x, y, r) -> r.nextInt(256));
        assertThat(PictureSpectrum.of(small).grid()).isNull();
        assertThat(PictureSpectrum.of(small).sharpness()).isBetween(0.7, 0.9);
        assertThat(PictureSpectrum.mean(List.of(small, picture(64, (x, y, r) -> r.nextInt(256))))
                        .grid())
                .isNull();
    }

    @Test
    void theMeanOfNothingIsNothing() {
        assertThat(PictureSpectrum.mean(List.of())).isNull();
        BufferedImage flat = picture(32, (x, y, r) -> 128);
        assertThat(PictureSpectrum.mean(List.of(flat, flat))).isEqualTo(new PictureSpectrum.Measures(0, null));
    }

    private interface Shade {
        int at(int x, int y, Random random);
    }

    private static BufferedImage picture(int size, Shade shade) {
        Random random = new Random(42);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = Math.max(0, Math.min(255, shade.at(x, y, random)));
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return image;
    }
}
