package dev.meadow.model.clip;

import java.awt.image.BufferedImage;

import dev.meadow.image.ImageArrays;

/** Turns pictures into the pixel values a CLIP image encoder expects, as its {@code clip.json} describes. */
final class ClipPreprocessing {

    private final int size;
    private final float[] mean;
    private final float[] std;
    private final boolean channelsFirst;

    ClipPreprocessing(ClipCard card) {
        this.size = card.imageSize();
        this.mean = toFloats(card.imageMean());
        this.std = toFloats(card.imageStd());
        this.channelsFirst = ClipCard.CHANNELS_FIRST.equals(card.channelLayout());
    }

    int valuesPerImage() {
        return size * size * 3;
    }

    /** Centre-crops, scales, normalises and lays out one picture into {@code out} at {@code offset}. */
    void write(BufferedImage image, float[] out, int offset) {
        float[] rgb = ImageArrays.toFloats(ImageArrays.squareResize(image, size));
        writeRgb(rgb, 0, out, offset);
    }

    /** The same, from [0, 1] RGB values already at the right size (height x width x 3). */
    void writeRgb(float[] rgb, int from, float[] out, int offset) {
        int pixels = size * size;
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < 3; c++) {
                float v = (rgb[from + p * 3 + c] - mean[c]) / std[c];
                out[offset + (channelsFirst ? c * pixels + p : p * 3 + c)] = v;
            }
        }
    }

    long[] shape(int n) {
        return channelsFirst ? new long[] {n, 3, size, size} : new long[] {n, size, size, 3};
    }

    private static float[] toFloats(java.util.List<Double> values) {
        if (values == null || values.size() != 3) {
            throw new IllegalArgumentException("clip.json needs three image mean and three std values");
        }
        return new float[] {
            values.get(0).floatValue(),
            values.get(1).floatValue(),
            values.get(2).floatValue()
        };
    }
}
