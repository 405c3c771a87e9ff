package dev.meadow.cli.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Pictures laid out for comparison: one panel per decoder, side by side; in each panel a row per prompt and a column
 * per seed, so the same cell of two panels is the same prompt and seed. Scaled up by pixel repetition, so the
 * picture's own pixels (and any grid in them) are what the reader sees.
 */
final class ContactSheet {

    static final Color GAP = new Color(0xF4, 0xF4, 0xF0);

    private ContactSheet() {}

    /**
     * @param panels per panel, per prompt, the pictures of each seed (all of one size, every panel the same shape)
     * @param scale how many screen pixels a picture's pixel becomes
     * @param gap pixels between panels (half of it between rows)
     */
    static BufferedImage compose(List<List<List<BufferedImage>>> panels, int scale, int gap) {
        if (panels.isEmpty() || panels.get(0).isEmpty() || panels.get(0).get(0).isEmpty()) {
            throw new IllegalArgumentException("nothing to lay out");
        }
        int rows = panels.get(0).size();
        int columns = panels.get(0).get(0).size();
        int side = panels.get(0).get(0).get(0).getWidth() * scale;
        for (List<List<BufferedImage>> panel : panels) {
            if (panel.size() != rows || panel.stream().anyMatch(row -> row.size() != columns)) {
                throw new IllegalArgumentException("every panel needs " + rows + " rows of " + columns + " pictures");
            }
        }
        int rowGap = gap / 2;
        int panelWidth = columns * side;
        int width = panels.size() * panelWidth + (panels.size() - 1) * gap;
        int height = rows * side + (rows - 1) * rowGap;
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(GAP);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int p = 0; p < panels.size(); p++) {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < columns; c++) {
                        BufferedImage picture = panels.get(p).get(r).get(c);
                        if (picture.getWidth() * scale != side || picture.getHeight() * scale != side) {
                            throw new IllegalArgumentException("every picture must be square and of one size");
                        }
                        g.drawImage(picture, p * (panelWidth + gap) + c * side, r * (side + rowGap), side, side, null);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }
}
