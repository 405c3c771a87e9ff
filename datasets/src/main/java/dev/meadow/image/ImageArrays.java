package dev.meadow.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Conversions between pictures and the float arrays (height x width x RGB, values in [0, 1]) models read. */
public final class ImageArrays {

    private ImageArrays() {}

    /** Writes the image's pixels, row by row, into {@code out} starting at {@code offset}. */
    public static void toFloats(BufferedImage image, float[] out, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        int o = offset;
        for (int p : rgb) {
            out[o++] = ((p >> 16) & 0xff) / 255f;
            out[o++] = ((p >> 8) & 0xff) / 255f;
            out[o++] = (p & 0xff) / 255f;
        }
    }

    public static float[] toFloats(BufferedImage image) {
        float[] out = new float[image.getWidth() * image.getHeight() * 3];
        toFloats(image, out, 0);
        return out;
    }

    /** The inverse of {@link #toFloats}: values are clamped to [0, 1] and rounded to the nearest 8-bit level. */
    public static BufferedImage fromFloats(float[] pixels, int offset, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        int o = offset;
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (level(pixels[o++]) << 16) | (level(pixels[o++]) << 8) | level(pixels[o++]);
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    private static int level(float v) {
        float c = v < 0 ? 0 : (v > 1 ? 1 : v);
        return (int) (c * 255f + 0.5f);
    }

    /** Crops the largest centred square and scales it to {@code size}, as training images are prepared. */
    public static BufferedImage squareResize(BufferedImage image, int size) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int x = (image.getWidth() - side) / 2;
        int y = (image.getHeight() - side) / 2;
        if (side == size && image.getType() == BufferedImage.TYPE_INT_RGB) {
            return x == 0 && y == 0 ? image : image.getSubimage(x, y, size, size);
        }
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // Scale down in halving steps first, so large photos are averaged rather than aliased.
            BufferedImage source = image.getSubimage(x, y, side, side);
            while (source.getWidth() >= size * 2) {
                int half = source.getWidth() / 2;
                BufferedImage smaller = new BufferedImage(half, half, BufferedImage.TYPE_INT_RGB);
                Graphics2D s = smaller.createGraphics();
                s.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                s.drawImage(source, 0, 0, half, half, null);
                s.dispose();
                source = smaller;
            }
            g.drawImage(source, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
