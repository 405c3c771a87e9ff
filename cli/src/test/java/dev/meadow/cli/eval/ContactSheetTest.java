package dev.meadow.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ContactSheetTest {

    /** A 4x4 picture of one colour with a black top-left pixel, so scaling and placement both show. */
    private static BufferedImage picture(int rgb) {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        image.setRGB(0, 0, 0x000000);
        return image;
    }

    private static List<List<BufferedImage>> panel(int base, int rows, int columns) {
        List<List<BufferedImage>> panel = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<BufferedImage> row = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                row.add(picture(base + r * 16 + c));
            }
            panel.add(row);
        }
        return panel;
    }

    @Test
    void panelsSitSideBySideWithTheSameCellForTheSamePromptAndSeed() {
        BufferedImage sheet = ContactSheet.compose(List.of(panel(0x100000, 2, 3), panel(0x200000, 2, 3)), 3, 10);
        // Two panels of 3 columns of 12 px, a 10 px gap; 2 rows of 12 px, a 5 px gap.
        assertThat(sheet.getWidth()).isEqualTo(2 * 36 + 10);
        assertThat(sheet.getHeight()).isEqualTo(2 * 12 + 5);
        // Row 1, column 2 of the second panel starts at x = 36 + 10 + 24, y = 12 + 5; its corner pixel is 3x3.
        int x = 36 + 10 + 24;
        int y = 17;
        assertThat(sheet.getRGB(x, y) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(sheet.getRGB(x + 2, y + 2) & 0xFFFFFF).isEqualTo(0x000000);
        assertThat(sheet.getRGB(x + 3, y + 3) & 0xFFFFFF).isEqualTo(0x200000 + 16 + 2);
        assertThat(sheet.getRGB(x - 1, y + 3) & 0xFFFFFF).isEqualTo(0x200000 + 16 + 1);
        assertThat(sheet.getRGB(36 + 10 - 1, y) & 0xFFFFFF)
                .as("between panels")
                .isEqualTo(ContactSheet.GAP.getRGB() & 0xFFFFFF);
        assertThat(sheet.getRGB(5, 12) & 0xFFFFFF).as("between rows").isEqualTo(ContactSheet.GAP.getRGB() & 0xFFFFFF);
    }

    @Test
    void panelsOfDifferentShapesAreRefused() {
        assertThatThrownBy(() -> ContactSheet.compose(List.of(panel(0, 2, 3), panel(0, 2, 2)), 2, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 rows of 3 pictures");
        assertThatThrownBy(() -> ContactSheet.compose(List.of(), 2, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
